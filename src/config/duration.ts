import { UsageError } from '../core/errors.js';

export const MIN_SESSION_SECONDS = 15 * 60;
export const MAX_SESSION_SECONDS = 36 * 60 * 60;
export const DEFAULT_SESSION_SECONDS = 8 * 60 * 60;

const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses `900`, `15m`, `8h`, `1h30m`, `90s` into seconds; null when the text is not a duration.
 * A bare number is seconds, as STS's DurationSeconds is.
 */
export function parseDurationSeconds(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match || trimmed === '') return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** A duration within [min, max] seconds, or a UsageError that names its source. */
export function parseBoundedDuration(text: string, source: string, bounds: { min: number; max: number }): number {
  const seconds = parseDurationSeconds(text);
  if (seconds === null) {
    throw new UsageError(`bad ${source}`, `'${text}' is not a duration`, {
      hint: 'use seconds or h/m, e.g. 900, 15m, 8h, 1h30m',
    });
  }
  if (seconds < bounds.min || seconds > bounds.max) {
    throw new UsageError(`bad ${source}`, `'${text}' is outside ${formatDuration(bounds.min)}..${formatDuration(bounds.max)}`);
  }
  return seconds;
}

export function parseSessionDuration(text: string, source: string): number {
  return parseBoundedDuration(text, source, { min: MIN_SESSION_SECONDS, max: MAX_SESSION_SECONDS });
}

/** `8h`, `1h30m`, `15m`, `45s`: the shortest spelling parseDurationSeconds reads back. */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''];
  return parts.join('') || '0s';
}
