/** The session token botocore reads from a credentials section: `aws_security_token` (older tools write it) before `aws_session_token`. */
export function sessionTokenIn(section: ReadonlyMap<string, string>): string | undefined {
  return section.has('aws_security_token') ? section.get('aws_security_token') : section.get('aws_session_token');
}

/** A credentials section with a key id and no session token holds long-term keys (login never overwrites those). */
export function holdsLongTermKeys(section: ReadonlyMap<string, string> | undefined): boolean {
  return Boolean(section?.get('aws_access_key_id') && !sessionTokenIn(section));
}
