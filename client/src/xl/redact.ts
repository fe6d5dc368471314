// Hides the passwords in a guest configuration before it is shown: libxl's JSON (`xl list -l`)
// keeps VNC and SPICE passwords in clear (`vnc.passwd`, `spice.passwd`), and config-style spec
// strings may carry `vncpasswd=...`. Pure: a new value is returned, the input is not changed.

/** What a hidden password is replaced with. */
export const HIDDEN_PASSWORD = '(hidden)';

export interface Redacted<T> {
  value: T;
  /** How many passwords were hidden (0: nothing to reveal). */
  hidden: number;
}

/** Object keys that hold a password (libxl's `passwd`, config-style `vncpasswd`, `spicepasswd`, ...). */
const PASSWORD_KEY = /^(?:[a-z_.]*passw(?:or)?d|passphrase)$/i;
/** `vncpasswd=secret` (and spicepasswd, passwd) inside a spec string, up to the next comma. */
const PASSWORD_IN_SPEC = /((?:^|,)\s*[a-z_]*passw(?:or)?d\s*=)([^,]*)/gi;

/** A copy of `value` with every password string replaced by HIDDEN_PASSWORD. */
export function hidePasswords<T>(value: T): Redacted<T> {
  let hidden = 0;
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (typeof node === 'string') {
      if (key !== undefined && PASSWORD_KEY.test(key)) {
        if (node === '') return node;
        hidden++;
        return HIDDEN_PASSWORD;
      }
      return node.replace(PASSWORD_IN_SPEC, (_match, prefix: string, secret: string) => {
        if (secret.trim() === '') return `${prefix}${secret}`;
        hidden++;
        return `${prefix}${HIDDEN_PASSWORD}`;
      });
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (typeof node === 'object' && node !== null) {
      const copy: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(node)) copy[name] = walk(item, name);
      return copy;
    }
    return node;
  };
  const result = walk(value, undefined) as T;
  return { value: result, hidden };
}
