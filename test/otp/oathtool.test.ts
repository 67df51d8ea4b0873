// Cross-check against GNU oathtool (OATH Toolkit): random secrets, times, algorithms, digit counts and periods.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase32NoPadding } from '../../src/otp/base32.js';
import type { OtpAlgorithm, OtpDigits } from '../../src/otp/hotp.js';
import { generateTotp, Totp } from '../../src/otp/index.js';
import { skipUnlessAvailable } from '../support/external.js';

function oathtoolIsInstalled(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = skipUnlessAvailable('OATHTOOL', oathtoolIsInstalled(), 'oathtool is not installed (apt-get install oathtool)');
const ALGORITHMS: OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const SECRET_BYTES = { SHA1: 20, SHA256: 32, SHA512: 64 } as const;

interface Case {
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  periodInSeconds: number;
  nowInSeconds: number;
  secret: Uint8Array;
}

function randomCase(index: number): Case {
  const algorithm = ALGORITHMS[index % 3] ?? 'SHA1';
  return {
    algorithm,
    digits: index % 2 === 0 ? 6 : 8,
    periodInSeconds: index % 5 === 0 ? randomInt(10, 121) : 30,
    // Up to the year 2603 (t = 20 000 000 000): steps beyond 32 bits and past 2038.
    nowInSeconds: index % 7 === 0 ? randomInt(2 ** 32, 20_000_000_001) : randomInt(0, 2 ** 32),
    secret: new Uint8Array(randomBytes(index % 4 === 0 ? 16 + randomInt(0, 49) : SECRET_BYTES[algorithm])),
  };
}

function oathtoolTotp({ algorithm, digits, periodInSeconds, nowInSeconds, secret }: Case): string {
  const args = [`--totp=${algorithm}`, '-b', '-d', String(digits), '-s', `${periodInSeconds}s`, '-N', `@${nowInSeconds}`, encodeBase32NoPadding(secret)];
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}

describe.skipIf(skip)('oathtool agrees', () => {
  it('on the RFC 6238 SHA-256 vector at t = 20000000000', () => {
    const secret = new Uint8Array(Buffer.from('12345678901234567890123456789012', 'ascii'));
    expect(oathtoolTotp({ algorithm: 'SHA256', digits: 8, periodInSeconds: 30, nowInSeconds: 20_000_000_000, secret })).toBe('77737706');
  });

  it('on 60 random secrets, times, algorithms, digit counts and periods', () => {
    for (let index = 0; index < 60; index++) {
      const testCase = randomCase(index);
      const expected = oathtoolTotp(testCase);
      const { secret, ...parameters } = testCase;
      expect(generateTotp(secret, parameters), JSON.stringify({ ...parameters, secret: encodeBase32NoPadding(secret) })).toBe(expected);
      const totp = new Totp(encodeBase32NoPadding(secret), { algorithm: parameters.algorithm, digits: parameters.digits, period: parameters.periodInSeconds });
      expect(totp.verify(expected, 0, parameters.nowInSeconds)).toBe(true);
    }
  });
});
