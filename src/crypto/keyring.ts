/** The key ring: application secrets by tag, AES-256-GCM encryption under the newest, decryption under any. */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { TwofoldError } from '../errors.js';
import { cryptoRandom, type Random } from './random.js';

const FORMAT = 'tf1';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs
const AUTH_TAG_BYTES = 16;
const TAG_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Application secrets by tag (`{ '1': '…', '2': '…' }`, FST's `SECURITY_TOTP_SECRETS`). The highest tag
 * encrypts; every tag decrypts, so rotation is: add a higher tag, run `reencrypt` over the stored values,
 * then drop the old tag.
 *
 * Ciphertexts read `tf1:<tag>:<base64url(iv ‖ ciphertext ‖ auth tag)>`. Each tag's key is derived with HKDF,
 * so the raw secret is never a cipher key itself, and the caller's `context` (for a TOTP secret: the user id)
 * is authenticated data — a ciphertext moved to another user's row no longer decrypts (checklist ENR-07).
 *
 * @example
 * ```ts
 * const ring = new KeyRing({ '1': process.env.TOTP_SECRET_1! });
 * const stored = ring.encrypt('JBSWY3DPEHPK3PXP', 'user:42');
 * ring.decrypt(stored, 'user:42'); // 'JBSWY3DPEHPK3PXP'
 * ```
 */
export class KeyRing {
  /** The tag new values are encrypted under. */
  readonly currentTag: string;
  readonly #secrets: ReadonlyMap<string, Buffer>;
  readonly #cipherKeys = new Map<string, Buffer>();
  readonly #random: Random;

  /** @throws TypeError when there is no secret, or a tag or secret is malformed. */
  constructor(secrets: Readonly<Record<string, string>>, options: { random?: Random } = {}) {
    const entries = Object.entries(secrets);
    if (entries.length === 0) throw new TypeError('KeyRing needs at least one secret');
    for (const [tag, secret] of entries) {
      if (!TAG_PATTERN.test(tag)) throw new TypeError(`KeyRing tag "${tag}" must be 1-32 letters, digits, '_' or '-'`);
      if (typeof secret !== 'string' || secret.length === 0) throw new TypeError(`KeyRing secret for tag "${tag}" is empty`);
    }
    this.#secrets = new Map(entries.map(([tag, secret]) => [tag, Buffer.from(secret, 'utf8')]));
    this.currentTag = highestTag(entries.map(([tag]) => tag));
    this.#random = options.random ?? cryptoRandom;
  }

  /** Encrypts `plaintext` under the current tag, bound to `context`. */
  encrypt(plaintext: string, context: string): string {
    const iv = this.#random.bytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#cipherKey(this.currentTag), iv, { authTagLength: AUTH_TAG_BYTES });
    cipher.setAAD(additionalData(this.currentTag, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return `${FORMAT}:${this.currentTag}:${sealed}`;
  }

  /**
   * Decrypts a value made by {@link encrypt} with the same `context`.
   * @throws TwofoldError `KEY_UNKNOWN` when its tag is not in the ring; `DECRYPTION_FAILED` when it was
   * altered, is malformed, or belongs to another context.
   */
  decrypt(ciphertext: string, context: string): string {
    const { tag, sealed } = this.#parse(ciphertext);
    if (sealed.length < IV_BYTES + AUTH_TAG_BYTES) throw decryptionFailed();
    const decipher = createDecipheriv('aes-256-gcm', this.#cipherKey(tag), sealed.subarray(0, IV_BYTES), {
      authTagLength: AUTH_TAG_BYTES,
    });
    decipher.setAAD(additionalData(tag, context));
    decipher.setAuthTag(sealed.subarray(sealed.length - AUTH_TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - AUTH_TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw decryptionFailed(cause);
    }
  }

  /** The tag a ciphertext was made under. @throws TwofoldError `DECRYPTION_FAILED` when it is not one of ours. */
  tagOf(ciphertext: string): string {
    return this.#parse(ciphertext, { requireKnownTag: false }).tag;
  }

  /**
   * Whether the ring still holds the key `ciphertext` names, without decrypting it (cheap enough for every
   * request); false for a value that is not one of ours. Whether it then decrypts is {@link decrypt}'s to say.
   */
  hasKeyFor(ciphertext: string): boolean {
    try {
      return this.#secrets.has(this.tagOf(ciphertext));
    } catch {
      return false;
    }
  }

  /** True when the value was encrypted under an older tag than the current one. */
  needsReencrypt(ciphertext: string): boolean {
    return this.tagOf(ciphertext) !== this.currentTag;
  }

  /** Decrypts under the value's own tag and encrypts again under the current one (key rotation). */
  reencrypt(ciphertext: string, context: string): string {
    return this.encrypt(this.decrypt(ciphertext, context), context);
  }

  /**
   * A keyed hash (HMAC-SHA-256) under a key derived for `purpose` from the current tag, returned as
   * `<tag>$<hex>` so it can still be checked after a rotation with {@link KeyRing.verifyMac}.
   */
  mac(purpose: string, message: string): string {
    return `${this.currentTag}$${this.#macHex(this.currentTag, purpose, message)}`;
  }

  /** True when `stored` is the MAC of `message` for `purpose`, under whichever tag it names (compared in constant time). */
  verifyMac(purpose: string, message: string, stored: string): boolean {
    const tag = stored.slice(0, stored.indexOf('$'));
    if (!this.#secrets.has(tag)) return false;
    const expected = Buffer.from(`${tag}$${this.#macHex(tag, purpose, message)}`, 'utf8');
    const actual = Buffer.from(stored, 'utf8');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /**
   * A keyed hash (HMAC-SHA-256, hex) for names that must stay the same across a rotation, such as the
   * rate-limit counters: it is made under the lowest tag, which adding a newer key does not change. Only
   * dropping that oldest key changes it, and by then the counters' short windows have long ended. Not
   * for values that must be checked later: use {@link KeyRing.mac} for those.
   */
  stableMac(purpose: string, message: string): string {
    return this.#macHex(this.oldestTag, `stable ${purpose}`, message);
  }

  /** The tag {@link stableMac} uses: the lowest, by the same order that makes the highest current. */
  get oldestTag(): string {
    return sortedTags([...this.#secrets.keys()])[0] as string;
  }

  #macHex(tag: string, purpose: string, message: string): string {
    return createHmac('sha256', this.#derive(tag, `mac ${purpose}`)).update(message, 'utf8').digest('hex');
  }

  #cipherKey(tag: string): Buffer {
    let key = this.#cipherKeys.get(tag);
    if (key === undefined) {
      key = this.#derive(tag, 'aes-256-gcm');
      this.#cipherKeys.set(tag, key);
    }
    return key;
  }

  #derive(tag: string, use: string): Buffer {
    const secret = this.#secrets.get(tag);
    if (secret === undefined) throw new TwofoldError('KEY_UNKNOWN', `No secret with tag "${tag}" in totpSecrets; add it back to decrypt values made under it`);
    return Buffer.from(hkdfSync('sha256', secret, 'twofold key ring', `twofold ${use} ${tag}`, 32));
  }

  #parse(ciphertext: string, { requireKnownTag = true } = {}): { tag: string; sealed: Buffer } {
    if (typeof ciphertext !== 'string') throw decryptionFailed();
    const [format, tag, body, extra] = ciphertext.split(':');
    if (format !== FORMAT || tag === undefined || body === undefined || extra !== undefined || !TAG_PATTERN.test(tag)) {
      throw decryptionFailed();
    }
    if (requireKnownTag && !this.#secrets.has(tag)) {
      throw new TwofoldError('KEY_UNKNOWN', `Value was encrypted under tag "${tag}", which is not in totpSecrets; add that secret back to read it`);
    }
    return { tag, sealed: Buffer.from(body, 'base64url') };
  }
}

/** FST's rule: numeric order when every tag is a number, otherwise string order. */
function highestTag(tags: readonly string[]): string {
  const sorted = sortedTags(tags);
  return sorted[sorted.length - 1] as string;
}

function sortedTags(tags: readonly string[]): string[] {
  const numeric = tags.every((tag) => /^\d+$/.test(tag));
  return [...tags].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

function additionalData(tag: string, context: string): Buffer {
  return Buffer.from(`${FORMAT}\u0000${tag}\u0000${context}`, 'utf8');
}

function decryptionFailed(cause?: unknown): TwofoldError {
  // Deliberately bland: the reason a ciphertext fails to open is not the caller's business.
  return new TwofoldError('DECRYPTION_FAILED', 'Encrypted value could not be decrypted', { cause });
}
