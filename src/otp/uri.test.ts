// The Key URI (checklist ENR-04): its exact shape, and names that round-trip through otpauth and WHATWG URL.
import { TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { Totp } from './totp-class.js';
import { buildTotpUri } from './uri.js';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('buildTotpUri', () => {
  it('reproduces the Key URI wiki example', () => {
    expect(buildTotpUri({ secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', accountName: 'john.doe@email.com', issuer: 'ACME Co' })).toBe(
      'otpauth://totp/ACME%20Co:john.doe%40email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('without an issuer: the label is the account alone and there is no issuer parameter', () => {
    const uri = buildTotpUri({ secret: SECRET, accountName: 'ana@example.com', algorithm: 'SHA256', digits: 8, periodInSeconds: 60 });
    expect(uri).toBe(`otpauth://totp/ana%40example.com?secret=${SECRET}&algorithm=SHA256&digits=8&period=60`);
    expect(buildTotpUri({ secret: SECRET, accountName: 'ana', issuer: '' })).not.toContain('issuer');
  });

  it('is parsed field by field by WHATWG URL', () => {
    const url = new URL(buildTotpUri({ secret: SECRET, accountName: 'ana@example.com', issuer: 'ACME', algorithm: 'SHA512', digits: 8, periodInSeconds: 45 }));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/ACME:ana@example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: SECRET, issuer: 'ACME', algorithm: 'SHA512', digits: '8', period: '45' });
  });

  it('keeps the secret without padding and the URI in ASCII', () => {
    const uri = buildTotpUri({ secret: SECRET, accountName: 'José 日本', issuer: 'Größe' });
    expect(uri).toMatch(/^[\x21-\x7e]+$/);
    expect(new URL(uri).searchParams.get('secret')).toBe(SECRET);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a padded secret', { secret: `${SECRET}====` }],
    ['a lower-case secret', { secret: SECRET.toLowerCase() }],
    ['an empty account', { accountName: '' }],
    ['a non-string account', { accountName: 7 }],
    ['digits 7', { digits: 7 }],
    ['algorithm MD5', { algorithm: 'MD5' }],
    ['period 0', { periodInSeconds: 0 }],
  ])('throws a TypeError on %s', (_label, override) => {
    expect(() => buildTotpUri({ secret: SECRET, accountName: 'ana', ...override } as Parameters<typeof buildTotpUri>[0])).toThrow(TypeError);
  });
});

describe('names round-trip through otpauth URI.parse and WHATWG URL', () => {
  const issuers = ['', 'ACME Co', 'a@b', 'x & y', 'C#', 'Café', 'Müller', '日本', 'Issuer: The Sequel', 'a:b:c', ' lead', '%3A', '100%', 'a+b', 'a/b?c=d'];
  const accounts = ['ana', 'ana@example.com', 'first last', 'a&b#c', 'user:name', ':start', 'end:', 'éü 日本', ' space', '%3A', 'a+b', 'a/b?c=d'];

  for (const issuer of issuers) {
    it(`issuer ${JSON.stringify(issuer)} with every account`, () => {
      for (const accountName of accounts) {
        const uri = buildTotpUri({ secret: SECRET, accountName, issuer, algorithm: 'SHA256', digits: 8, periodInSeconds: 60 });
        const parsed = URI.parse(uri);
        expect({ issuer: parsed.issuer, label: parsed.label }).toEqual({ issuer, label: accountName });
        expect(parsed.secret.base32).toBe(SECRET);
        expect([parsed.algorithm, parsed.digits]).toEqual(['SHA256', 8]);
        expect(parsed instanceof TOTP ? parsed.period : undefined).toBe(60);

        const url = new URL(uri);
        expect(url.searchParams.get('issuer') ?? '').toBe(issuer);
        const label = decodeURIComponent(url.pathname.slice(1));
        expect(label.endsWith(accountName)).toBe(true);
      }
    });
  }

  it('puts a colon-free issuer in the label prefix, equal to the issuer parameter', () => {
    const url = new URL(buildTotpUri({ secret: SECRET, accountName: 'user:name', issuer: 'ACME Co' }));
    const [prefix] = url.pathname.slice(1).split(':');
    expect(decodeURIComponent(prefix ?? '')).toBe(url.searchParams.get('issuer'));
    expect(url.pathname).toBe('/ACME%20Co:user%3Aname');
  });

  it('carries an issuer containing ":" in the issuer parameter only, behind an empty label prefix', () => {
    const uri = buildTotpUri({ secret: SECRET, accountName: 'ana', issuer: 'A:B' });
    expect(uri).toBe(`otpauth://totp/ana?secret=${SECRET}&issuer=A%3AB&algorithm=SHA1&digits=6&period=30`);
    const withColonAccount = buildTotpUri({ secret: SECRET, accountName: 'x:y', issuer: 'A:B' });
    expect(withColonAccount.startsWith('otpauth://totp/:x%3Ay?')).toBe(true);
  });
});

describe('Totp.getTotpUri', () => {
  it('builds the URI from the instance’s secret and parameters', () => {
    const totp = new Totp(SECRET, { algorithm: 'SHA512', digits: 8, period: 60 });
    expect(totp.getTotpUri('ana@example.com', 'ACME')).toBe(
      `otpauth://totp/ACME:ana%40example.com?secret=${SECRET}&issuer=ACME&algorithm=SHA512&digits=8&period=60`,
    );
    expect(totp.getTotpUri('ana')).toBe(`otpauth://totp/ana?secret=${SECRET}&algorithm=SHA512&digits=8&period=60`);
  });

  it('gives a URI from which otpauth computes the same codes', () => {
    const totp = new Totp(undefined, { algorithm: 'SHA256', digits: 8, period: 45 });
    const parsed = URI.parse(totp.getTotpUri('ana', 'ACME'));
    if (!(parsed instanceof TOTP)) throw new Error('otpauth did not parse a TOTP URI');
    for (const timestamp of [0, 59, 1_700_000_000, 20_000_000_000]) {
      expect(parsed.generate({ timestamp: timestamp * 1000 })).toBe(totp.generatePassword(timestamp));
    }
  });
});
