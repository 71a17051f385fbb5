import { type CompletionModel, valueOptions, type WordSource } from './completion-model.js';

/**
 * The PowerShell script: Register-ArgumentCompleter with the table as hashtables, and the same
 * walk over the words as the other shells.
 */
export function powershellCompletionScript(model: CompletionModel): string {
  const commands = model.commands
    .map(
      (command) =>
        `        ${psQuoted(command.name)} = @{ options = ${psArray([...command.options, ...model.globalOptions].flatMap((option) => option.flags))}; operand = ${psSource(command.operand)} }`,
    )
    .join('\n');
  const values = valueOptions(model)
    .flatMap(({ command, option, source }) => option.flags.map((flag) => `        ${psQuoted(`${command} ${flag}`)} = ${psSource(source)}`))
    .join('\n');
  return `# PowerShell completion for ${model.program}: ${model.program} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName ${psQuoted(model.program)} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $commands = @{
${commands}
    }
    $globalOptions = ${psArray(model.globalOptions.flatMap((option) => option.flags))}
    # Keyed by "command flag"; " flag" for the global options before a command.
    $values = @{
${values}
    }
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
    $command = ''
    $prev = ''
    for ($i = 0; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        $prev = $word
        if ($word -like '-*') {
            if ($values.ContainsKey("$command $word") -or $values.ContainsKey(" $word")) {
                if ($i -eq $words.Count - 1) { break }
                $i++
                $prev = ''
            }
        } elseif ($command -eq '') { $command = $word }
    }
    $source = $null
    if ($prev -like '-*') {
        if ($values.ContainsKey("$command $prev")) { $source = $values["$command $prev"] }
        elseif ($values.ContainsKey(" $prev")) { $source = $values[" $prev"] }
    }
    if ($null -ne $source) { $candidates = $source }
    elseif ($wordToComplete -like '-*') {
        $candidates = if ($command -ne '' -and $commands.ContainsKey($command)) { $commands[$command].options } else { $globalOptions }
    } elseif ($command -eq '') { $candidates = @($commands.Keys | Sort-Object) }
    elseif ($commands.ContainsKey($command)) { $candidates = $commands[$command].operand }
    else { $candidates = @() }
    if ($candidates -is [string] -and $candidates -eq 'profiles') { $candidates = @(& ${psQuoted(model.program)} __complete profiles 2>$null) }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;
}

/** A word list, the string 'profiles' (asked for when Tab is pressed), or an empty list for free values. */
function psSource(source: WordSource | undefined): string {
  if (source?.kind === 'profiles') return "'profiles'";
  if (source?.kind === 'words') return psArray(source.words);
  return '@()';
}

function psArray(words: readonly string[]): string {
  return `@(${words.map(psQuoted).join(', ')})`;
}

function psQuoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
