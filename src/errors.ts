/** The one error class twofold throws for its own reasons, and the codes it can carry. */

/**
 * Every code a {@link TwofoldError} can carry. Expected outcomes of untrusted input (a wrong code, an
 * expired challenge) are returned values, never errors; these codes are for caller mistakes, bad
 * configuration and failing infrastructure.
 */
export type TwofoldErrorCode =
  | 'CONFIG_INVALID'
  | 'KEY_UNKNOWN'
  | 'DECRYPTION_FAILED'
  | 'PLUGIN_UNKNOWN'
  | 'PLUGIN_DUPLICATE_METHOD'
  | 'SMS_SENDER_UNKNOWN'
  | 'SMS_SEND_FAILED'
  | 'MAIL_SEND_FAILED'
  | 'PHONE_INVALID'
  | 'USER_UNKNOWN'
  | 'DATABASE_URL_INVALID'
  | 'DATABASE_DRIVER_MISSING';

/** Thrown by twofold for a twofold reason; `code` says which, so `switch (err.code)` can narrow. */
export class TwofoldError extends Error {
  readonly code: TwofoldErrorCode;

  constructor(code: TwofoldErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TwofoldError';
    this.code = code;
  }
}

/** A bad option, found at start-up. The message names the key and the fix. */
export class ConfigError extends TwofoldError {
  readonly key: string;

  constructor(key: string, message: string) {
    super('CONFIG_INVALID', `${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/**
 * A one-line account of a failure for the log: its kind and code, never its message, which may quote a
 * value from the request or the row.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? `${error.name} ${String(code)}` : error.name;
}
