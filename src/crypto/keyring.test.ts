/** Key ring: tampering is refused, unknown tags are named, rotation keeps old values readable. */
import { describe, expect, it } from 'vitest';
import { TwofoldError } from '../errors.js';
import { KeyRing } from './keyring.js';

const SECRET_1 = 'first-application-secret-0123456789abcdef';
const SECRET_2 = 'second-application-secret-0123456789abcdef';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TwofoldError ? err.code : `not a TwofoldError: ${String(err)}`;
  }
  return undefined;
}

describe('KeyRing', () => {
  it('tells whether it still holds the key a value names, without decrypting it', () => {
    const old = new KeyRing({ '1': SECRET_1 });
    const value = old.encrypt('JBSWY3DPEHPK3PXP', 'ctx');
    expect(old.hasKeyFor(value)).toBe(true);
    expect(new KeyRing({ '1': SECRET_1, '2': SECRET_2 }).hasKeyFor(value)).toBe(true);
    expect(new KeyRing({ '2': SECRET_2 }).hasKeyFor(value)).toBe(false);
    expect(old.hasKeyFor('not a ciphertext')).toBe(false);
  });

  it('round-trips and names its tag in the ciphertext', () => {
    const ring = new KeyRing({ '1': SECRET_1 });
    const sealed = ring.encrypt('JBSWY3DPEHPK3PXP', 'user:a');
    expect(sealed).toMatch(/^tf1:1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(ring.decrypt(sealed, 'user:a')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV each time', () => {
    const ring = new KeyRing({ '1': SECRET_1 });
    expect(ring.encrypt('same', 'ctx')).not.toBe(ring.encrypt('same', 'ctx'));
  });

  it('refuses every single flipped bit', () => {
    const ring = new KeyRing({ '1': SECRET_1 });
    const sealed = ring.encrypt('JBSWY3DPEHPK3PXP', 'user:a');
    const prefix = 'tf1:1:';
    const body = Buffer.from(sealed.slice(prefix.length), 'base64url');
    for (let bit = 0; bit < body.length * 8; bit++) {
      const flipped = Buffer.from(body);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(errorCode(() => ring.decrypt(prefix + flipped.toString('base64url'), 'user:a'))).toBe('DECRYPTION_FAILED');
    }
  });

  it('refuses a value moved to another context (another user row)', () => {
    const ring = new KeyRing({ '1': SECRET_1 });
    const sealed = ring.encrypt('JBSWY3DPEHPK3PXP', 'user:a');
    expect(errorCode(() => ring.decrypt(sealed, 'user:b'))).toBe('DECRYPTION_FAILED');
  });

  it('refuses malformed input without throwing anything but DECRYPTION_FAILED', () => {
    const ring = new KeyRing({ '1': SECRET_1 });
    for (const bad of ['', 'tf1', 'tf1:1', 'tf1:1:', 'tf1:1:AAAA', 'tf2:1:AAAA', 'tf1:1:AA:BB', 'plain secret', 'tf1:../x:AAAA']) {
      expect(errorCode(() => ring.decrypt(bad, 'ctx'))).toBe('DECRYPTION_FAILED');
    }
  });

  it('gives a clear error for an unknown tag', () => {
    const old = new KeyRing({ '7': SECRET_1 });
    const sealed = old.encrypt('x', 'ctx');
    const ring = new KeyRing({ '1': SECRET_2 });
    try {
      ring.decrypt(sealed, 'ctx');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TwofoldError);
      expect((err as TwofoldError).code).toBe('KEY_UNKNOWN');
      expect((err as TwofoldError).message).toContain('"7"');
    }
  });

  it('picks the highest tag: numeric when all tags are numbers, else by string order', () => {
    expect(new KeyRing({ '9': SECRET_1, '10': SECRET_2 }).currentTag).toBe('10');
    expect(new KeyRing({ a: SECRET_1, b: SECRET_2 }).currentTag).toBe('b');
  });

  it('rotates: old values stay readable, reencrypt moves them to the new tag', () => {
    const before = new KeyRing({ '1': SECRET_1 });
    const old = before.encrypt('JBSWY3DPEHPK3PXP', 'user:a');
    const after = new KeyRing({ '1': SECRET_1, '2': SECRET_2 });
    expect(after.decrypt(old, 'user:a')).toBe('JBSWY3DPEHPK3PXP');
    expect(after.needsReencrypt(old)).toBe(true);
    expect(after.encrypt('new', 'ctx')).toMatch(/^tf1:2:/);
    const moved = after.reencrypt(old, 'user:a');
    expect(after.tagOf(moved)).toBe('2');
    expect(after.needsReencrypt(moved)).toBe(false);
    expect(new KeyRing({ '2': SECRET_2 }).decrypt(moved, 'user:a')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('derives different keys per tag: the same secret under another tag does not open a value', () => {
    const sealed = new KeyRing({ '1': SECRET_1 }).encrypt('x', 'ctx');
    const renamed = sealed.replace('tf1:1:', 'tf1:2:');
    expect(errorCode(() => new KeyRing({ '2': SECRET_1 }).decrypt(renamed, 'ctx'))).toBe('DECRYPTION_FAILED');
  });

  it('MACs survive rotation and are bound to purpose and message', () => {
    const before = new KeyRing({ '1': SECRET_1 });
    const mac = before.mac('one-time-code', 'id:123456');
    const after = new KeyRing({ '1': SECRET_1, '2': SECRET_2 });
    expect(after.verifyMac('one-time-code', 'id:123456', mac)).toBe(true);
    expect(after.verifyMac('one-time-code', 'id:123457', mac)).toBe(false);
    expect(after.verifyMac('recovery', 'id:123456', mac)).toBe(false);
    expect(new KeyRing({ '2': SECRET_2 }).verifyMac('one-time-code', 'id:123456', mac)).toBe(false);
  });

  it('stable MACs stay the same when a newer key is added, and differ by purpose, message and oldest key', () => {
    const before = new KeyRing({ '1': SECRET_1 });
    const after = new KeyRing({ '1': SECRET_1, '2': SECRET_2 });
    expect(after.stableMac('rate-limit', '+16505550199')).toBe(before.stableMac('rate-limit', '+16505550199'));
    expect(before.stableMac('rate-limit', '+16505550199')).toMatch(/^[0-9a-f]{64}$/);
    expect(before.stableMac('rate-limit', '+16505550198')).not.toBe(before.stableMac('rate-limit', '+16505550199'));
    expect(before.stableMac('other', '+16505550199')).not.toBe(before.stableMac('rate-limit', '+16505550199'));
    expect(new KeyRing({ '2': SECRET_2 }).stableMac('rate-limit', '+16505550199')).not.toBe(before.stableMac('rate-limit', '+16505550199'));
    // Never the same as the checkable MAC of the same purpose: the two are derived for different uses.
    expect(before.mac('rate-limit', 'x')).not.toContain(before.stableMac('rate-limit', 'x'));
  });

  it('rejects bad construction', () => {
    expect(() => new KeyRing({})).toThrow(TypeError);
    expect(() => new KeyRing({ 'a:b': SECRET_1 })).toThrow(TypeError);
    expect(() => new KeyRing({ '1': '' })).toThrow(TypeError);
  });
});
