const proxyVariables = new Set(['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy']);
/** The runner's desktop session: without them, a spawned aws-mfa cannot reach the runner's real keychain. */
const desktopSessionVariables = new Set(['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']);

/**
 * A copy of env without the AWS_* variables, proxy settings and desktop session of whoever runs
 * the tests, so that spawned tools see only what a test sets (a test keyring, say).
 */
export function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !name.startsWith('AWS_') && !proxyVariables.has(name.toLowerCase()) && !desktopSessionVariables.has(name),
    ),
  );
}
