/** QR codes for enrolment, drawn offline as SVG so the secret never leaves the server. */
import QRCode from 'qrcode';

/**
 * Draws `uri` as a QR code in SVG markup, for embedding inline in an HTML page.
 *
 * @param uri - the text to encode, typically from `buildTotpUri` / `Totp.getTotpUri`.
 * @returns the `<svg …>…</svg>` markup; the same input always gives the same output.
 * @example
 * ```ts
 * const svg = await qrCodeSvg(totp.getTotpUri('ana@example.com', 'ACME'));
 * ```
 */
export async function qrCodeSvg(uri: string): Promise<string> {
  if (typeof uri !== 'string' || uri === '') throw new TypeError('uri must be a non-empty string');
  // Level M survives a smudged screen; margin 4 is the quiet zone ISO/IEC 18004 asks for.
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/**
 * Draws `uri` as a QR code and returns it as a `data:image/svg+xml;base64,…` URI, for an `<img src>`.
 *
 * @param uri - the text to encode.
 * @returns the data URI.
 * @example
 * ```ts
 * const src = await qrCodeSvgDataUri(uri);
 * ```
 */
export async function qrCodeSvgDataUri(uri: string): Promise<string> {
  const svg = await qrCodeSvg(uri);
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
