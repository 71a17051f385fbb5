const proxyVariables = new Set(['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy']);

/**
 * A copy of env without the AWS_* variables and proxy settings of whoever runs the tests,
 * so that spawned tools see only what a test sets.
 */
export function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_') && !proxyVariables.has(name.toLowerCase())));
}
