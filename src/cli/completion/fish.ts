import { type CompletionModel, type CompletionOption, flagsTakingValues, type WordSource } from './completion-model.js';

/**
 * The fish script: `complete` lines, each conditioned on the command found among the words typed
 * (a function skips options and their values, as the bash and zsh scripts do).
 */
export function fishCompletionScript(model: CompletionModel): string {
  const program = model.program;
  const fn = `__${program.replace(/[^A-Za-z0-9]/g, '_')}`;
  const lines = [
    `# fish completion for ${program}: ${program} completion fish | source`,
    `function ${fn}_command`,
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l skip 0',
    '    for word in $words',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $word',
    `            case ${flagsTakingValues(model).map(fishQuoted).join(' ')}`,
    '                set skip 1',
    "            case '-*'",
    "            case '*'",
    '                echo $word',
    '                return 0',
    '        end',
    '    end',
    '    return 1',
    'end',
    `function ${fn}_using`,
    `    set -l command (${fn}_command); or return 1`,
    '    contains -- $command $argv',
    'end',
    `complete -c ${program} -f`,
    ...model.commands.map(
      (command) => `complete -c ${program} -n 'not ${fn}_command' -a ${fishQuoted(command.name)} -d ${fishQuoted(command.description)}`,
    ),
    ...model.globalOptions.map((option) => optionLine(program, option, undefined, model.profilesCall)),
    ...model.commands.flatMap((command) => {
      const condition = `${fn}_using ${command.name}`;
      const operand = command.operand
        ? [`complete -c ${program} -n ${fishQuoted(condition)} ${argumentsFor(command.operand, model.profilesCall)}`]
        : [];
      return [...command.options.map((option) => optionLine(program, option, condition, model.profilesCall)), ...operand];
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function optionLine(program: string, option: CompletionOption, condition: string | undefined, profilesCall: string): string {
  const names = option.flags.map((flag) => (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`));
  const when = condition ? ` -n ${fishQuoted(condition)}` : '';
  const value = option.value ? ` ${valueArguments(option.value, profilesCall)}` : '';
  return `complete -c ${program}${when} ${names.join(' ')}${value} -d ${fishQuoted(option.description)}`;
}

/** -x: the option takes a value and no file; -r with files for a free value. */
function valueArguments(source: WordSource, profilesCall: string): string {
  if (source.kind === 'any') return '-r -F';
  return `-x ${argumentsFor(source, profilesCall)}`;
}

function argumentsFor(source: WordSource, profilesCall: string): string {
  if (source.kind === 'profiles') return `-a ${fishQuoted(`(command ${profilesCall} 2>/dev/null)`)}`;
  if (source.kind === 'words') return `-a ${fishQuoted(source.words.join(' '))}`;
  return '-F';
}

function fishQuoted(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}
