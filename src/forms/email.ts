/** A deliberately simple e-mail address check for form input and configuration; delivery decides the rest. */

/** The longest address accepted, in characters (RFC 5321 §4.5.3.1.3: a path holds at most 254). */
export const EMAIL_MAX_LENGTH = 254;

// RFC 5321 §4.5.3.1.1: a local part holds at most 64 octets. Quoted local parts and address literals are not
// accepted: no one logs in with them, and refusing them keeps the check readable.
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const LOCAL_PART = /^[^\s@"(),:;<>[\\\]\u0000-\u001F\u007F]{1,64}$/u;
// Letters and digits of any script (internationalised domains), hyphens inside a label; `localhost` is allowed
// because `no-reply@localhost` is Flask-Security-Too's default rescue address.
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

// Half of a UTF-16 pair on its own is not text: it cannot be encoded into a URI (otpauth) or a mail header.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether `value` looks like a deliverable e-mail address: `local@domain`, one `@`, no white space or control
 * characters, no empty or doubled dots, domain labels of letters, digits and inner hyphens.
 *
 * @example
 * ```ts
 * isEmailAddress('ada@example.com'); // true
 * isEmailAddress('ada@@example.com'); // false
 * ```
 */
export function isEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > EMAIL_MAX_LENGTH || LONE_SURROGATE.test(value)) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  return domain.length <= 253 && labels.every((label) => DOMAIN_LABEL.test(label));
}
