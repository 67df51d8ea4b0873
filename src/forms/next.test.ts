// Open-redirect protection for `next`: only same-origin relative paths pass.
import { describe, expect, it } from 'vitest';
import { isSafeRedirectPath, NEXT_MAX_LENGTH, safeRedirectPath } from './next.js';

describe('isSafeRedirectPath', () => {
  it('accepts same-origin paths, with query and fragment', () => {
    for (const next of ['/', '/profile', '/admin/users?page=2&sort=name', '/a#b', '/caf%C3%A9', '/a b', '/a:b', '/./x']) {
      expect(isSafeRedirectPath(next), next).toBe(true);
    }
  });

  it('refuses other hosts, schemes and their disguises', () => {
    const unsafe = [
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '\u0000/x',
      '/x\u0000',
      '/x\u007F',
      '/x\u0085',
      'https://evil.example/',
      'http:evil.example',
      'javascript:alert(1)',
      'data:text/html,hi',
      'evil.example',
      'profile',
      ' /profile',
      '/%2F/evil.example',
      '/%2fevil.example',
      '/%5Cevil.example',
      '/a//b',
      '/a\\b',
      '',
    ];
    for (const next of unsafe) expect(isSafeRedirectPath(next), JSON.stringify(next)).toBe(false);
  });

  it('refuses non-strings and over-long values', () => {
    for (const next of [undefined, null, 1, ['/'], { toString: () => '/' }]) expect(isSafeRedirectPath(next)).toBe(false);
    expect(isSafeRedirectPath(`/${'a'.repeat(NEXT_MAX_LENGTH - 1)}`)).toBe(true);
    expect(isSafeRedirectPath(`/${'a'.repeat(NEXT_MAX_LENGTH)}`)).toBe(false);
  });
});

describe('safeRedirectPath', () => {
  it('percent-encodes what a header cannot carry, as a browser would, and refuses what is unsafe', () => {
    expect(safeRedirectPath('/café€?q=ü#x')).toBe('/caf%C3%A9%E2%82%AC?q=%C3%BC#x');
    expect(safeRedirectPath('/caf%C3%A9')).toBe('/caf%C3%A9');
    expect(safeRedirectPath('/profile?tab=security')).toBe('/profile?tab=security');
    expect(safeRedirectPath('/a b')).toBe('/a%20b');
    expect(safeRedirectPath('//evil.example')).toBeNull();
    expect(safeRedirectPath('/\\evil.example')).toBeNull();
    expect(safeRedirectPath(42)).toBeNull();
  });
});
