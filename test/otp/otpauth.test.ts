// Cross-check against the otpauth package: the same codes for random secrets, times and parameters, both ways.
import { randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { encodeBase32NoPadding } from '../../src/otp/base32.js';
import type { OtpAlgorithm, OtpDigits } from '../../src/otp/hotp.js';
import { Totp } from '../../src/otp/index.js';

const ALGORITHMS: OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

describe('otpauth agrees', () => {
  it('on 300 random secrets, times, algorithms, digit counts and periods', () => {
    for (let index = 0; index < 300; index++) {
      const algorithm = ALGORITHMS[index % 3] ?? 'SHA1';
      const digits: OtpDigits = index % 2 === 0 ? 6 : 8;
      const period = index % 4 === 0 ? randomInt(10, 121) : 30;
      const bytes = new Uint8Array(randomBytes(16 + randomInt(0, 49)));
      const timestampInSeconds = randomInt(0, 20_000_000_001);
      const ours = new Totp(encodeBase32NoPadding(bytes), { algorithm, digits, period });
      const theirs = new TOTP({ secret: new Secret({ buffer: bytes.slice().buffer }), algorithm, digits, period });

      // Two steps with the same code (odds 10^-digits each) make "which step matched" ambiguous; skip those.
      const nearbyCodes = [-1, 0, 1, 2].map((offset) => theirs.generate({ timestamp: (timestampInSeconds + offset * period) * 1000 }));
      if (new Set(nearbyCodes).size < nearbyCodes.length) continue;
      const theirCode = theirs.generate({ timestamp: timestampInSeconds * 1000 });
      expect(ours.generatePassword(timestampInSeconds)).toBe(theirCode);
      expect(ours.match(theirCode, 1, timestampInSeconds)).toBe(Math.floor(timestampInSeconds / period));

      // A code from one step later: both accept it with window 1 and report the same offset.
      const nextCode = theirs.generate({ timestamp: (timestampInSeconds + period) * 1000 });
      const theirDelta = theirs.validate({ token: nextCode, timestamp: timestampInSeconds * 1000, window: 1 });
      const ourStep = ours.match(nextCode, 1, timestampInSeconds);
      expect(ourStep === null ? null : ourStep - Math.floor(timestampInSeconds / period)).toBe(theirDelta);
    }
  });
});
