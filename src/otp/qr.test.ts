// Enrolment QR codes: SVG markup, a matching data URI, the same output for the same input.
import { describe, expect, it } from 'vitest';
import { qrCodeSvg, qrCodeSvgDataUri } from './qr.js';

const URI = 'otpauth://totp/ACME:ana%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&algorithm=SHA1&digits=6&period=30';

describe('qrCodeSvg', () => {
  it('returns SVG markup', async () => {
    const svg = await qrCodeSvg(URI);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<path');
  });

  it('is deterministic for one input and differs for another', async () => {
    const first = await qrCodeSvg(URI);
    expect(await qrCodeSvg(URI)).toBe(first);
    expect(await qrCodeSvg(`${URI}0`)).not.toBe(first);
  });

  it('throws a TypeError on an empty or non-string input', async () => {
    await expect(qrCodeSvg('')).rejects.toThrow(TypeError);
    await expect(qrCodeSvg(undefined as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe('qrCodeSvgDataUri', () => {
  it('is the same SVG, base64-encoded in a data: URI', async () => {
    const dataUri = await qrCodeSvgDataUri(URI);
    const prefix = 'data:image/svg+xml;base64,';
    expect(dataUri.startsWith(prefix)).toBe(true);
    expect(Buffer.from(dataUri.slice(prefix.length), 'base64').toString('utf8')).toBe(await qrCodeSvg(URI));
    expect(await qrCodeSvgDataUri(URI)).toBe(dataUri);
  });
});
