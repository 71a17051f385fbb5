import { type CompletionModel, type CompletionOption, flagsTakingValues, valueArms, type WordSource } from './completion-model.js';
import { casePattern, shellFunctionName, singleQuoted } from './shell-words.js';

/**
 * The zsh script: the same walk over the words as bash's, answered with _describe (commands and
 * options with their descriptions), compadd (fixed values, profiles) and _files (free values).
 * Works sourced (after compinit) and as an autoloaded `_aws-mfa` file on $fpath.
 */
export function zshCompletionScript(model: CompletionModel): string {
  const fn = shellFunctionName(model.program);
  const valueCases = valueArms(model, (source) => answer(source, fn)).map(
    ({ patterns, answer }) => `(${patterns.join('|')}) ${answer}; return ;;`,
  );
  return `#compdef ${model.program}
# zsh completion for ${model.program}: source <(${model.program} completion zsh)
${fn}_profiles() {
  local -a profiles
  profiles=(\${(f)"$(command ${model.program} __complete profiles 2>/dev/null)"})
  compadd -a profiles
}

${fn}() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} command= i
  local -a described
  for ((i = 2; i < CURRENT; i++)); do
    case \${words[i]} in
      (--) [[ -n $command ]] && { _files; return }; ;;
      (${casePattern(flagsTakingValues(model))}) ((i++)) ;;
      (-*) ;;
      (*) [[ -z $command ]] && command=\${words[i]} ;;
    esac
  done
  case "$command $prev" in
${valueCases.map((line) => `    ${line}`).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case $command in
${model.commands.map((command) => `      (${casePattern([command.name])}) described=(${described([...command.options, ...model.globalOptions])}) ;;`).join('\n')}
      (*) described=(${described(model.globalOptions)}) ;;
    esac
    _describe -t options option described
    return
  fi
  case $command in
    ('') described=(${model.commands.map((command) => singleQuoted(`${command.name}:${command.description}`)).join(' ')})
      _describe -t commands command described ;;
${model.commands.flatMap((command) => (command.operand ? [`    (${casePattern([command.name])}) ${answer(command.operand, fn)} ;;`] : [])).join('\n')}
  esac
}

# Autoloaded from a file _${model.program} on $fpath, the file is the function: complete now.
if [[ "\${funcstack[1]}" == _${model.program} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${model.program}
fi
`;
}

function described(options: readonly CompletionOption[]): string {
  return options.flatMap((option) => option.flags.map((flag) => singleQuoted(`${flag}:${option.description}`))).join(' ');
}

function answer(source: WordSource, fn: string): string {
  if (source.kind === 'profiles') return `${fn}_profiles`;
  if (source.kind === 'words') return `compadd -- ${source.words.join(' ')}`;
  return '_files';
}
