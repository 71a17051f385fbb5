/** Candidates further than this many edits are never suggested (commander's limit). */
const MAX_DISTANCE = 3;
/** Nor those sharing too little with the word: at most 60 % of the longer one may be edited. */
const MIN_SIMILARITY = 0.4;

/**
 * The candidates closest to a mistyped command or `--option`, as commander's suggestSimilar picks
 * them: fewest edits (at most 3), similar enough, sorted. Options compare without their `--`.
 */
export function suggestSimilar(word: string, candidates: readonly string[]): string[] {
  const prefix = word.startsWith('--') ? '--' : '';
  const bare = word.slice(prefix.length);
  let best: string[] = [];
  let bestDistance = MAX_DISTANCE;
  for (const candidate of new Set(candidates.map((candidate) => candidate.slice(prefix.length)))) {
    if (candidate.length <= 1) continue;
    const distance = editDistance(bare, candidate);
    if (similarity(bare, candidate, distance) <= MIN_SIMILARITY) continue;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = [candidate];
    } else if (distance === bestDistance) {
      best.push(candidate);
    }
  }
  return best.sort((a, b) => a.localeCompare(b)).map((candidate) => prefix + candidate);
}

/** The share of the longer string that the edits leave as it is. */
function similarity(word: string, candidate: string, distance: number): number {
  const length = Math.max(word.length, candidate.length);
  return (length - distance) / length;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  // previous2, previous and current are rows i-2, i-1 and i of the distance matrix between prefixes.
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(previous, j) + 1, at(current, j - 1) + 1, at(previous, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(previous2, j - 2) + 1);
      current.push(distance);
    }
    previous2 = previous;
    previous = current;
  }
  return at(previous, b.length);
}

function at(row: readonly number[], index: number): number {
  return row[index] ?? Number.POSITIVE_INFINITY;
}
