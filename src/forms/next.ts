/** The `next` parameter: which post-login redirect targets are safe (same-origin relative paths only). */

/** The longest `next` accepted, in UTF-16 code units; longer is refused as input, not truncated. */
export const NEXT_MAX_LENGTH = 2048;

// C0 and C1 control characters and DEL. Browsers drop tab and newline inside URLs ("/\t/evil.com" becomes
// "//evil.com") and strip leading controls, so none may appear at all.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const BASE = 'https://twofold.invalid';

/**
 * Whether `next` is a same-origin relative path that is safe to redirect to after login: it starts with one
 * `/`, contains no `//` and no backslash (browsers read `/\evil.com` as `//evil.com`, a different host), no
 * control character, does not start with an encoded slash or backslash (`/%2F…`, `/%5C…`, in case a later
 * layer decodes it), and resolves to the same origin. A scheme (`https:`, `javascript:`) cannot appear because
 * the value must start with `/`.
 *
 * Anything that is not a string, or is longer than {@link NEXT_MAX_LENGTH}, is unsafe.
 *
 * @example
 * ```ts
 * isSafeRedirectPath('/profile?tab=security'); // true
 * isSafeRedirectPath('//evil.example'); // false
 * isSafeRedirectPath('https://evil.example/'); // false
 * ```
 */
export function isSafeRedirectPath(next: unknown): boolean {
  if (typeof next !== 'string' || next.length === 0 || next.length > NEXT_MAX_LENGTH) return false;
  if (!next.startsWith('/') || next.includes('//') || next.includes('\\') || CONTROL.test(next)) return false;
  if (/^\/%(2f|5c)/i.test(next)) return false;
  try {
    return new URL(next, BASE).origin === BASE;
  } catch {
    return false;
  }
}

/**
 * `next` as a redirect target, or null when it is not a safe one ({@link isSafeRedirectPath}). The path comes
 * back percent-encoded as a browser writes a URL (`/café` → `/caf%C3%A9`): a `Location` header carries only
 * ASCII, and a character above U+00FF would make building the reply throw after the login was committed.
 *
 * @example
 * ```ts
 * safeRedirectPath('/café€?q=ü'); // '/caf%C3%A9%E2%82%AC?q=%C3%BC'
 * safeRedirectPath('//evil.example'); // null
 * ```
 */
export function safeRedirectPath(next: unknown): string | null {
  if (!isSafeRedirectPath(next)) return null;
  const url = new URL(next as string, BASE);
  const encoded = url.pathname + url.search + url.hash;
  // Serialising resolves dot segments; the result must pass the same checks.
  return isSafeRedirectPath(encoded) && /^[\x21-\x7e]+$/.test(encoded) ? encoded : null;
}
