/** The methods the built-in code plugin serves, and the older names Flask-Security-Too still reads for them. */

/** The methods the code plugin can serve; which of them are on is `twoFactorEnabledMethods`. */
export const CODE_METHODS = ['authenticator', 'email', 'sms'] as const;

/** One of {@link CODE_METHODS}. */
export type CodeMethod = (typeof CODE_METHODS)[number];

/** FST's legacy method names, read as the method they now are. */
export const LEGACY_METHOD_NAMES = Object.freeze({ mail: 'email', google_authenticator: 'authenticator' } as const satisfies Readonly<Record<string, CodeMethod>>);

/** A legacy name `twoFactorEnabledMethods` accepts: `mail`, `google_authenticator`. */
export type LegacyMethodName = keyof typeof LEGACY_METHOD_NAMES;
