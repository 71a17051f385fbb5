import { type CompletionModel, flagsTakingValues, valueArms, type WordSource } from './completion-model.js';
import { casePattern, shellFunctionName, singleQuoted } from './shell-words.js';

/**
 * The bash script: a function for `complete -F` that finds the command among the words typed
 * (skipping options and their values), then offers option values, options, commands or the
 * operand's words. Nothing completes to filenames but free values (-o default).
 */
export function bashCompletionScript(model: CompletionModel): string {
  const fn = shellFunctionName(model.program);
  const valueCases = valueArms(model, (source) => replyFor(source, fn)).map(
    ({ patterns, answer }) => `${patterns.join('|')}) ${answer}; return 0 ;;`,
  );
  const globalFlags = model.globalOptions.flatMap((option) => option.flags);
  return `# bash completion for ${model.program}: eval "$(${model.program} completion bash)"
${fn}_profiles() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(command ${model.program} __complete profiles 2>/dev/null)" -- "$cur"))
}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} command= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --) [[ -n $command ]] && return 0 ;;
      ${casePattern(flagsTakingValues(model))}) ((i++)) ;;
      -*) ;;
      *) [[ -z $command ]] && command=\${COMP_WORDS[i]} ;;
    esac
  done
  case "$command $prev" in
${valueCases.map((line) => `    ${line}`).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case $command in
${model.commands.map((command) => `      ${casePattern([command.name])}) ${reply([...command.options.flatMap((option) => option.flags), ...globalFlags])} ;;`).join('\n')}
      *) ${reply(globalFlags)} ;;
    esac
    return 0
  fi
  case $command in
    '') ${reply(model.commands.map((command) => command.name))} ;;
${model.commands.flatMap((command) => (command.operand ? [`    ${casePattern([command.name])}) ${replyFor(command.operand, fn)} ;;`] : [])).join('\n')}
  esac
}

complete -o default -F ${fn} ${model.program}
`;
}

function replyFor(source: WordSource, fn: string): string {
  if (source.kind === 'profiles') return `${fn}_profiles`;
  if (source.kind === 'words') return reply(source.words);
  return ':';
}

function reply(words: readonly string[]): string {
  return `COMPREPLY=($(compgen -W ${singleQuoted(words.join(' '))} -- "$cur"))`;
}
