/** Every text twofold shows a person: stable keys, English (FST's wording where FST has one) and French, flash categories. */

/** How a message is flashed on an HTML page; Flask-Security-Too's three categories. */
export type FlashCategory = 'error' | 'success' | 'info';

/**
 * The English catalogue and the definition of every key. `category` is `null` for texts that are never
 * flashed (field labels, choice labels, page texts); it does not depend on the language, so it lives only here.
 *
 * Wording is Flask-Security-Too's (`flask_security/core.py` `_default_messages`, WTForms and Flask-WTF for
 * their validator texts, `forms.py` for labels, `templates/security/*.html` for page texts) where FST has the
 * text; docs/flask-security-reference.md §1.6 wins where the two differ. Keys marked "twofold" are our own.
 * Placeholders are Python-style `%(name)s`, as in FST, so translations can be shared.
 */
const ENGLISH = {
  // Two-factor flow (docs/flask-security-reference.md §1.6).
  TWO_FACTOR_INVALID_TOKEN: { text: 'Invalid code', category: 'error' },
  TWO_FACTOR_LOGIN_SUCCESSFUL: { text: 'Your code has been confirmed', category: 'success' },
  TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL: { text: 'You successfully changed your two-factor method.', category: 'success' },
  TWO_FACTOR_PERMISSION_DENIED: { text: 'You currently do not have permissions to access this page', category: 'error' },
  TWO_FACTOR_METHOD_NOT_AVAILABLE: { text: 'Marked method is not valid', category: 'error' },
  // twofold: the user's factor is stored but out of service here (fail closed).
  TWO_FACTOR_FACTOR_UNAVAILABLE: {
    text: 'Your second factor cannot be used on this site at the moment. Sign in with a recovery code, or ask the site’s administrator to reset your two-factor authentication.',
    category: 'error',
  },
  TWO_FACTOR_DISABLED: { text: 'You successfully disabled two-factor authorization.', category: 'success' },
  TWO_FACTOR_SETUP_EXPIRED: { text: 'Setup must be completed within %(within)s. Please start over.', category: 'error' },
  PHONE_INVALID: { text: 'Phone number not valid e.g. missing country code', category: 'error' },
  FAILED_TO_SEND_CODE: { text: 'Failed to send code. Please try again later', category: 'error' },
  CODE_HAS_BEEN_SENT: { text: 'Code has been sent.', category: 'info' },
  // The SMS body: no trailing full stop, so the code is the last whitespace-separated token (docs/flask-security-reference.md §1.6).
  USE_CODE: { text: 'Use this code to sign in: %(code)s', category: 'info' },
  // twofold: the second line of the code e-mail.
  CODE_EXPIRES: { text: 'The code expires in %(within)s.', category: 'info' },
  INVALID_CODE: { text: 'Invalid code', category: 'error' },
  INVALID_RECOVERY_CODE: { text: 'Recovery code invalid', category: 'error' },
  NO_RECOVERY_CODES_SETUP: { text: 'No recovery codes generated yet', category: 'info' },
  // twofold: the remembered browsers (checklist RMD-04). The same words whether the id is unknown or another user's.
  TF_DEVICE_NOT_FOUND: { text: 'That browser is not one of your remembered browsers.', category: 'error' },
  TF_DEVICE_REVOKED: { text: 'The browser was forgotten: it will be asked for a code at its next login.', category: 'success' },
  TF_DEVICES_REVOKED_ALL: { text: 'Every remembered browser was forgotten.', category: 'success' },
  // twofold: the per-challenge and per-account attempt caps (checklist RL-01).
  TOO_MANY_ATTEMPTS: { text: 'Too many failed attempts. Please try again later.', category: 'error' },
  // twofold: a send refused by the send limits (checklist RL-08); `Retry-After` says how long to wait.
  TOO_MANY_CODES_SENT: { text: 'Too many codes have been sent. Please wait before asking for another.', category: 'error' },
  // twofold: how long until "send a new code" on /tf-validate is allowed again; minutes past two.
  TF_RESEND_WAIT_SECONDS: { text: 'You can ask for a new code in %(seconds)s seconds.', category: 'info' },
  TF_RESEND_WAIT_MINUTES: { text: 'You can ask for a new code in %(minutes)s minutes.', category: 'info' },
  // twofold: a login whose challenge had its tries (checklist RL-01) is over; its next steps say so.
  LOGIN_RESTART_REQUIRED: { text: 'This login was ended after too many wrong codes. Please log in again.', category: 'error' },
  // twofold: the notice e-mails (checklist RL-09, MGT-03, REC-05, TOTP-11). Never a code in them.
  NOTICE_LOCKED_OUT: { text: 'Too many wrong second-factor codes were entered for your account, so it refuses codes for the next %(within)s.', category: null },
  NOTICE_TF_CHANGED: { text: 'Your account’s second factor was set to: %(method)s.', category: null },
  NOTICE_DEVICE_TRUSTED: { text: 'A browser was remembered for your account: it will not be asked for a second-factor code until %(until)s (UTC).', category: null },
  NOTICE_TF_DISABLED: { text: 'Two-factor authentication was turned off for your account.', category: null },
  NOTICE_RECOVERY_CODES_GENERATED: { text: 'A new set of recovery codes was made for your account; the old codes no longer work.', category: null },
  NOTICE_RECOVERY_CODE_USED: { text: 'A recovery code was used to sign in to your account. %(remaining)s unused codes are left: make a new set soon.', category: null },
  NOTICE_PASSED_AFTER_FAILURES: { text: 'A right second-factor code was entered for your account after %(failures)s wrong ones.', category: null },
  NOTICE_ACCESS_RESET: { text: 'An administrator reset your account’s access: your second factor, recovery codes and remembered browsers were removed, and every session was signed out. You will set up a second factor at your next login.', category: null },
  NOTICE_CODE_REPLAYED: { text: 'A second-factor code that had already been used was entered again for your account. Someone else may have seen it.', category: null },
  NOTICE_WHEN: { text: 'When: %(time)s (UTC)', category: null },
  NOTICE_FROM: { text: 'From: %(address)s, %(agent)s', category: null },
  NOTICE_ADVICE: { text: 'If this was not you, change your password now and review your two-factor settings.', category: null },
  // twofold: the `error` of tfRequired()'s JSON 403.
  TWO_FACTOR_REQUIRED: { text: 'Two-factor authentication is required to access this resource.', category: 'error' },
  // twofold: the body of the help mail to twoFactorRescueMail. FST's "can not access mail account" dates
  // from the old `no_mail_access` choice and no longer says what happened.
  TF_RESCUE_HELP_MAIL: { text: '%(email)s cannot complete the two-factor login and asks for help resetting it.', category: null },

  // Access and state.
  API_ERROR: { text: 'Input not appropriate for requested API', category: 'error' },
  // twofold: the database could not be reached (503), or twofold failed in a way it did not foresee (500).
  // twofold: a request over plain HTTP to a host that is not this machine (checklist WEB-04).
  HTTPS_REQUIRED: { text: 'This page is only served over HTTPS.', category: 'error' },
  SERVICE_UNAVAILABLE: { text: 'The service is unavailable just now. Please try again in a moment.', category: 'error' },
  INTERNAL_ERROR: { text: 'Something went wrong on our side. Please try again later.', category: 'error' },
  REAUTHENTICATION_REQUIRED: { text: 'You must reauthenticate to access this endpoint', category: 'error' },
  REAUTHENTICATION_SUCCESSFUL: { text: 'Reauthentication successful', category: 'info' },
  ANONYMOUS_USER_REQUIRED: { text: 'You can only access this endpoint when not logged in.', category: 'error' },
  UNAUTHORIZED: { text: 'You do not have permission to view this resource.', category: 'error' },
  UNAUTHENTICATED: { text: 'You must sign in to view this resource.', category: 'error' },
  LOGIN: { text: 'Please log in to access this page.', category: 'info' },
  REFRESH: { text: 'Please reauthenticate to access this page.', category: 'info' },
  INVALID_REDIRECT: { text: 'Redirections outside the domain are forbidden', category: 'error' },

  // Login and password (FST). There is deliberately no USER_DOES_NOT_EXIST: a failed login says
  // GENERIC_AUTHN_FAILED whatever went wrong, so it cannot tell who has an account (checklist ENUM-01).
  GENERIC_AUTHN_FAILED: { text: 'Authentication failed - identity or password/passcode invalid', category: 'error' },
  EMAIL_NOT_PROVIDED: { text: 'Email not provided', category: 'error' },
  INVALID_EMAIL_ADDRESS: { text: 'Invalid email address', category: 'error' },
  PASSWORD_NOT_PROVIDED: { text: 'Password not provided', category: 'error' },
  INVALID_PASSWORD: { text: 'Invalid password', category: 'error' },
  DISABLED_ACCOUNT: { text: 'Account is disabled.', category: 'error' },

  // Generic field validation: WTForms' and Flask-WTF's texts.
  FIELD_REQUIRED: { text: 'This field is required.', category: 'error' },
  NOT_A_VALID_CHOICE: { text: 'Not a valid choice.', category: 'error' },
  // twofold: WTForms says "Field cannot be longer than %(max)d characters."; ours takes no parameter, so a
  // form error is always a bare key (see forms/field.ts).
  FIELD_TOO_LONG: { text: 'Field is too long.', category: 'error' },
  CSRF_TOKEN_MISSING: { text: 'The CSRF token is missing.', category: 'error' },
  CSRF_TOKEN_INVALID: { text: 'The CSRF token is invalid.', category: 'error' },

  // Field labels (FST forms.py `_default_field_labels` and the forms' own texts).
  LABEL_EMAIL: { text: 'Email Address', category: null },
  LABEL_PASSWORD: { text: 'Password', category: null },
  LABEL_REMEMBER_ME: { text: 'Remember Me', category: null },
  LABEL_LOGIN: { text: 'Login', category: null },
  LABEL_VERIFY_PASSWORD: { text: 'Verify Password', category: null },
  LABEL_PHONE: { text: 'Phone Number', category: null },
  LABEL_CODE: { text: 'Authentication Code', category: null },
  LABEL_RECOVERY_CODE: { text: 'Recovery Code', category: null },
  LABEL_SUBMIT: { text: 'Submit', category: null },
  LABEL_SUBMIT_CODE: { text: 'Submit Code', category: null },
  // twofold: the button on /tf-validate that sends another e-mail or SMS code.
  LABEL_RESEND_CODE: { text: 'Send a new code', category: null },
  LABEL_AVAILABLE_METHODS: { text: 'Available Methods', category: null },
  LABEL_SETUP_DISABLE: { text: 'Disable two-factor authentication', category: null },
  LABEL_SETUP_EMAIL: { text: 'Set up using email', category: null },
  LABEL_SETUP_AUTHENTICATOR: { text: 'Set up using an authenticator app (e.g. google, lastpass, authy)', category: null },
  LABEL_SETUP_SMS: { text: 'Set up using SMS', category: null },
  LABEL_RESCUE: { text: 'Trouble Accessing Your Account?/Lost Mobile Device?', category: null },
  LABEL_RESCUE_HELP: { text: 'Contact Administrator', category: null },
  LABEL_RESCUE_EMAIL: { text: 'Send code via email', category: null },
  LABEL_RESCUE_RECOVERY_CODE: { text: 'Use previously downloaded recovery code', category: null },
  LABEL_SELECT_METHODS: { text: 'Available Second Factor Methods:', category: null },
  LABEL_SELECT: { text: 'Select', category: null },
  LABEL_SHOW_RECOVERY_CODES: { text: 'Show Recovery Codes', category: null },
  LABEL_GENERATE_RECOVERY_CODES: { text: 'Generate New Recovery Codes', category: null },
  // Method names as shown in sentences (FST `_setup_methods_xlate`).
  METHOD_AUTHENTICATOR: { text: 'authenticator', category: null },
  METHOD_EMAIL: { text: 'email', category: null },
  METHOD_SMS: { text: 'SMS', category: null },
  METHOD_NONE: { text: 'none', category: null },
  LABEL_LOGOUT: { text: 'Log out', category: null },
  // twofold: the manual-entry details beside the QR code (FST's authr_key, authr_issuer, authr_username).
  LABEL_AUTHENTICATOR_KEY: { text: 'Key', category: null },
  LABEL_AUTHENTICATOR_ISSUER: { text: 'Issuer', category: null },
  LABEL_AUTHENTICATOR_ACCOUNT: { text: 'Account', category: null },
  // twofold: the /tf-devices page.
  LABEL_DEVICE_CREATED: { text: 'Remembered', category: null },
  LABEL_DEVICE_LAST_USED: { text: 'Last used', category: null },
  LABEL_DEVICE_EXPIRES: { text: 'Expires', category: null },
  LABEL_FORGET_DEVICE: { text: 'Forget', category: null },
  LABEL_FORGET_ALL_DEVICES: { text: 'Forget All Browsers', category: null },

  // Page titles and headings (FST templates' <h1>; TITLE_TF_SETUP and TITLE_LOGOUT are twofold).
  TITLE_LOGIN: { text: 'Login', category: null },
  TITLE_VERIFY: { text: 'Reauthenticate', category: null },
  TITLE_TF_SETUP: { text: 'Two-factor Setup', category: null },
  TITLE_TF_VALIDATE: { text: 'Two-factor Authentication', category: null },
  TITLE_TF_SELECT: { text: 'Select Two Factor Method', category: null },
  TITLE_MF_RECOVERY_CODES: { text: 'Recovery Codes', category: null },
  TITLE_MF_RECOVERY: { text: 'Enter Recovery Code', category: null },
  TITLE_LOGOUT: { text: 'Log out', category: null },
  // twofold: the /tf-devices page.
  TITLE_TF_DEVICES: { text: 'Remembered Browsers', category: null },
  // twofold: the page of a refused or failed request (a 4xx or 5xx twofold answers itself), and its way back.
  TITLE_ERROR: { text: 'Error %(status)s', category: null },
  LINK_BACK_TO_LOGIN: { text: 'Back to the login page', category: null },

  // Page texts (FST templates two_factor_setup.html, two_factor_verify_code.html, mf_recovery_codes.html).
  TF_SETUP_HEADLINE: { text: 'Two-factor authentication adds an extra layer of security to your account', category: null },
  TF_SETUP_INTRO: { text: "In addition to your username and password, you'll need to use a code.", category: null },
  TF_SETUP_CURRENT_METHOD: { text: 'Currently setup two-factor method: %(method)s', category: null },
  // twofold: what the weaker methods risk (checklist OOB-07, OOB-08), and a missing backup (MGT-06).
  TF_SETUP_SMS_RISK: { text: 'Text messages can be intercepted or redirected to another SIM card; an authenticator app is safer.', category: null },
  TF_SETUP_EMAIL_RISK: { text: 'A code by email is only as safe as your mailbox; an authenticator app is safer.', category: null },
  TF_SETUP_BACKUP_MISSING: { text: 'You have no recovery codes: if you lose your second factor, you will be locked out. Make a set now.', category: null },
  TF_SETUP_ENTER_CODE: { text: 'Enter code to complete setup', category: null },
  // FST says "QRcode" and "enter the code below"; what is below is the key, so we say so.
  TF_SETUP_SCAN_QR: {
    text: 'Open an authenticator app on your device and scan the following QR code (or enter the key below manually) to start receiving codes:',
    category: null,
  },
  // twofold: FST's alt text, "Two factor authentication code", names the wrong thing.
  TF_SETUP_QR_LABEL: { text: 'QR code to scan with your authenticator app', category: null },
  // twofold: FST's "To complete logging in, please enter the code sent to your mail" is wrong when changing.
  TF_SETUP_CODE_SENT_EMAIL: { text: 'A code was sent to your email address.', category: null },
  TF_SETUP_CODE_SENT_SMS: { text: 'A code was sent to your phone.', category: null },
  TF_SETUP_PHONE_HINT: { text: 'Only needed for SMS. Start with your country code, e.g. +44.', category: null },
  TF_SETUP_RECOVERY_CODES: { text: 'This application supports setting up recovery codes.', category: null },
  TF_SETUP_RECOVERY_CODES_LINK: { text: 'You can set them up here.', category: null },
  TF_VALIDATE_PROMPT: { text: 'Please enter your authentication code generated via: %(method)s', category: null },
  TF_RESCUE_EMAIL_SENT: { text: 'The code for authentication was sent to your email address', category: null },
  TF_RESCUE_HELP_SENT: { text: 'An email was sent to us in order to reset your application account', category: null },
  MF_RECOVERY_CODES_SAVE: { text: 'Be sure to copy these and store in a safe place. Each code can be used only once.', category: null },
  // twofold: how many codes are left, in three forms so no language has to say "1 codes" or "0 codes".
  MF_RECOVERY_CODES_REMAINING: { text: 'You have %(count)s recovery codes left', category: null },
  MF_RECOVERY_CODES_REMAINING_ONE: { text: 'You have one recovery code left', category: null },
  MF_RECOVERY_CODES_REMAINING_NONE: { text: 'You have no recovery codes.', category: null },
  MF_RECOVERY_CODES_GENERATE_HEADING: { text: 'Generate new Recovery Codes', category: null },
  MF_RECOVERY_CODES_REPLACE: { text: 'New codes replace all the codes you have now.', category: null },
  MF_RECOVERY_PROMPT: { text: 'Enter one of the recovery codes you saved. Each code works only once.', category: null },
  // twofold: the /tf-devices page, and its link on /tf-setup.
  TF_DEVICES_INTRO: {
    text: 'These browsers were remembered when you signed in: with the right password they are not asked for a code. Forget any you do not recognise or no longer use.',
    category: null,
  },
  TF_DEVICES_NONE: { text: 'No browser is remembered for your account.', category: null },
  TF_DEVICES_TIMES_UTC: { text: 'Times are in UTC.', category: null },
  TF_DEVICES_CURRENT: { text: 'This browser', category: null },
  TF_DEVICES_UNKNOWN_AGENT: { text: 'Unknown browser', category: null },
  TF_SETUP_DEVICES: { text: 'Browsers you chose to remember are not asked for a code.', category: null },
  TF_SETUP_DEVICES_LINK: { text: 'Review them here.', category: null },
  SIGNED_IN_AS: { text: 'You are logged in as %(email)s.', category: null },
  // twofold: read out before a flashed message, which is otherwise told apart only by its colour.
  FLASH_PREFIX_ERROR: { text: 'Error:', category: null },
  FLASH_PREFIX_SUCCESS: { text: 'Success:', category: null },
  FLASH_PREFIX_INFO: { text: 'Note:', category: null },
} as const satisfies Readonly<Record<string, { readonly text: string; readonly category: FlashCategory | null }>>;

/** A stable message key, e.g. `'TWO_FACTOR_INVALID_TOKEN'`. Error codes in twofold are message keys (STYLE rule 8). */
export type MessageKey = keyof typeof ENGLISH;

/** The languages twofold speaks. A new one is a new member here and a new {@link Catalog} in {@link CATALOGS}. */
export type Locale = 'en' | 'fr';

/** One language's texts: every key, no extra ones. The compiler rejects a catalogue that misses a key. */
export type Catalog = { readonly [K in MessageKey]: string };

/** Values substituted for `%(name)s` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Every key, in the catalogue's order. */
export const MESSAGE_KEYS: readonly MessageKey[] = Object.freeze(Object.keys(ENGLISH) as MessageKey[]);

const english: Catalog = Object.freeze(
  Object.fromEntries(MESSAGE_KEYS.map((key) => [key, ENGLISH[key].text])) as Record<MessageKey, string>,
);

// French: "vous", typographic apostrophes, and a no-break space (\u00a0) before ":" and "?" as French
// typography asks — except in USE_CODE, an SMS body, which stays within the GSM 7-bit alphabet.
const french: Catalog = Object.freeze({
  TWO_FACTOR_INVALID_TOKEN: 'Code invalide',
  TWO_FACTOR_LOGIN_SUCCESSFUL: 'Votre code a été confirmé',
  TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL: 'Vous avez bien changé votre méthode d’authentification à deux facteurs.',
  TWO_FACTOR_PERMISSION_DENIED: 'Vous n’avez actuellement pas l’autorisation d’accéder à cette page',
  TWO_FACTOR_METHOD_NOT_AVAILABLE: 'La méthode choisie n’est pas valide',
  TWO_FACTOR_FACTOR_UNAVAILABLE:
    'Votre second facteur ne peut pas être utilisé sur ce site pour le moment. Connectez-vous avec un code de récupération, ou demandez à l’administrateur du site de réinitialiser votre authentification à deux facteurs.',
  TWO_FACTOR_DISABLED: 'Vous avez bien désactivé l’authentification à deux facteurs.',
  TWO_FACTOR_SETUP_EXPIRED: 'La configuration doit être terminée en moins de %(within)s. Veuillez recommencer.',
  PHONE_INVALID: 'Numéro de téléphone non valide, par ex. indicatif du pays manquant',
  FAILED_TO_SEND_CODE: 'Échec de l’envoi du code. Veuillez réessayer plus tard',
  CODE_HAS_BEEN_SENT: 'Le code a été envoyé.',
  USE_CODE: 'Utilisez ce code pour vous connecter : %(code)s',
  CODE_EXPIRES: 'Le code expire dans %(within)s.',
  INVALID_CODE: 'Code invalide',
  INVALID_RECOVERY_CODE: 'Code de récupération non valide',
  NO_RECOVERY_CODES_SETUP: 'Aucun code de récupération n’a encore été généré',
  TF_DEVICE_NOT_FOUND: 'Ce navigateur ne fait pas partie de vos navigateurs mémorisés.',
  TF_DEVICE_REVOKED: 'Le navigateur a été oublié\u00a0: un code lui sera demandé à sa prochaine connexion.',
  TF_DEVICES_REVOKED_ALL: 'Tous les navigateurs mémorisés ont été oubliés.',
  TOO_MANY_ATTEMPTS: 'Trop de tentatives infructueuses. Veuillez réessayer plus tard.',
  TOO_MANY_CODES_SENT: 'Trop de codes ont été envoyés. Veuillez patienter avant d’en demander un autre.',
  TF_RESEND_WAIT_SECONDS: 'Vous pourrez demander un nouveau code dans %(seconds)s secondes.',
  TF_RESEND_WAIT_MINUTES: 'Vous pourrez demander un nouveau code dans %(minutes)s minutes.',
  LOGIN_RESTART_REQUIRED: 'Cette connexion a été interrompue après trop de codes erronés. Veuillez vous reconnecter.',
  NOTICE_LOCKED_OUT: 'Trop de codes de second facteur erronés ont été saisis pour votre compte\u00a0: il refuse les codes pendant %(within)s.',
  NOTICE_TF_CHANGED: 'Le second facteur de votre compte est désormais\u00a0: %(method)s.',
  NOTICE_DEVICE_TRUSTED: 'Un navigateur a été mémorisé pour votre compte\u00a0: il ne sera plus invité à saisir un code de second facteur avant le %(until)s (UTC).',
  NOTICE_TF_DISABLED: 'L’authentification à deux facteurs a été désactivée pour votre compte.',
  NOTICE_RECOVERY_CODES_GENERATED: 'Un nouveau jeu de codes de récupération a été créé pour votre compte ; les anciens codes ne fonctionnent plus.',
  NOTICE_RECOVERY_CODE_USED: 'Un code de récupération a servi à vous connecter. Il vous reste %(remaining)s codes inutilisés\u00a0: créez-en un nouveau jeu bientôt.',
  NOTICE_PASSED_AFTER_FAILURES: 'Un code de second facteur correct a été saisi pour votre compte après %(failures)s codes erronés.',
  NOTICE_ACCESS_RESET: 'Un administrateur a réinitialisé l’accès à votre compte\u00a0: votre second facteur, vos codes de récupération et vos navigateurs mémorisés ont été supprimés, et toutes les sessions fermées. Vous configurerez un second facteur à votre prochaine connexion.',
  NOTICE_CODE_REPLAYED: 'Un code de second facteur déjà utilisé a de nouveau été saisi pour votre compte. Quelqu’un d’autre l’a peut-être vu.',
  NOTICE_WHEN: 'Quand\u00a0: %(time)s (UTC)',
  NOTICE_FROM: 'Depuis\u00a0: %(address)s, %(agent)s',
  NOTICE_ADVICE: 'Si ce n’était pas vous, changez votre mot de passe maintenant et vérifiez vos réglages de double authentification.',
  TWO_FACTOR_REQUIRED: 'L’authentification à deux facteurs est requise pour accéder à cette ressource.',
  TF_RESCUE_HELP_MAIL: '%(email)s ne parvient pas à terminer la connexion à deux facteurs et demande de l’aide pour la réinitialiser.',

  API_ERROR: 'Données inappropriées pour l’API demandée',
  HTTPS_REQUIRED: 'Cette page n’est servie qu’en HTTPS.',
  SERVICE_UNAVAILABLE: 'Le service est momentanément indisponible. Veuillez réessayer dans un instant.',
  INTERNAL_ERROR: 'Une erreur s’est produite de notre côté. Veuillez réessayer plus tard.',
  REAUTHENTICATION_REQUIRED: 'Vous devez vous authentifier à nouveau pour accéder à cette page',
  REAUTHENTICATION_SUCCESSFUL: 'Nouvelle authentification réussie',
  ANONYMOUS_USER_REQUIRED: 'Cette page n’est accessible que lorsque vous n’êtes pas connecté.',
  UNAUTHORIZED: 'Vous n’avez pas l’autorisation d’accéder à cette ressource.',
  UNAUTHENTICATED: 'Vous devez vous connecter pour accéder à cette ressource.',
  LOGIN: 'Veuillez vous connecter pour accéder à cette page.',
  REFRESH: 'Veuillez vous authentifier à nouveau pour accéder à cette page.',
  INVALID_REDIRECT: 'Les redirections en dehors du domaine sont interdites',

  GENERIC_AUTHN_FAILED: 'Échec de l’authentification - identifiant ou mot de passe/code non valide',
  EMAIL_NOT_PROVIDED: 'Adresse e-mail non renseignée',
  INVALID_EMAIL_ADDRESS: 'Adresse e-mail non valide',
  PASSWORD_NOT_PROVIDED: 'Mot de passe non renseigné',
  INVALID_PASSWORD: 'Mot de passe non valide',
  DISABLED_ACCOUNT: 'Le compte est désactivé.',

  FIELD_REQUIRED: 'Ce champ est obligatoire.',
  NOT_A_VALID_CHOICE: 'Choix non valide.',
  FIELD_TOO_LONG: 'Le champ est trop long.',
  CSRF_TOKEN_MISSING: 'Le jeton CSRF est manquant.',
  CSRF_TOKEN_INVALID: 'Le jeton CSRF n’est pas valide.',

  LABEL_EMAIL: 'Adresse e-mail',
  LABEL_PASSWORD: 'Mot de passe',
  LABEL_REMEMBER_ME: 'Se souvenir de moi',
  LABEL_LOGIN: 'Se connecter',
  LABEL_VERIFY_PASSWORD: 'Vérifier le mot de passe',
  LABEL_PHONE: 'Numéro de téléphone',
  LABEL_CODE: 'Code d’authentification',
  LABEL_RECOVERY_CODE: 'Code de récupération',
  LABEL_SUBMIT: 'Valider',
  LABEL_SUBMIT_CODE: 'Valider le code',
  LABEL_RESEND_CODE: 'Envoyer un nouveau code',
  LABEL_AVAILABLE_METHODS: 'Méthodes disponibles',
  LABEL_SETUP_DISABLE: 'Désactiver l’authentification à deux facteurs',
  LABEL_SETUP_EMAIL: 'Configurer par e-mail',
  LABEL_SETUP_AUTHENTICATOR: 'Configurer avec une application d’authentification (par ex. Google, LastPass, Authy)',
  LABEL_SETUP_SMS: 'Configurer par SMS',
  LABEL_RESCUE: 'Problème d’accès à votre compte\u00a0? Appareil mobile perdu\u00a0?',
  LABEL_RESCUE_HELP: 'Contacter l’administrateur',
  LABEL_RESCUE_EMAIL: 'Envoyer un code par e-mail',
  LABEL_RESCUE_RECOVERY_CODE: 'Utiliser un code de récupération enregistré',
  LABEL_SELECT_METHODS: 'Méthodes de second facteur disponibles\u00a0:',
  LABEL_SELECT: 'Choisir',
  LABEL_SHOW_RECOVERY_CODES: 'Afficher les codes de récupération',
  LABEL_GENERATE_RECOVERY_CODES: 'Générer de nouveaux codes de récupération',
  METHOD_AUTHENTICATOR: 'application d’authentification',
  METHOD_EMAIL: 'e-mail',
  METHOD_SMS: 'SMS',
  METHOD_NONE: 'aucune',
  LABEL_LOGOUT: 'Se déconnecter',
  LABEL_AUTHENTICATOR_KEY: 'Clé',
  LABEL_AUTHENTICATOR_ISSUER: 'Émetteur',
  LABEL_AUTHENTICATOR_ACCOUNT: 'Compte',
  LABEL_DEVICE_CREATED: 'Mémorisé le',
  LABEL_DEVICE_LAST_USED: 'Dernière utilisation',
  LABEL_DEVICE_EXPIRES: 'Expire le',
  LABEL_FORGET_DEVICE: 'Oublier',
  LABEL_FORGET_ALL_DEVICES: 'Oublier tous les navigateurs',

  TITLE_LOGIN: 'Connexion',
  TITLE_VERIFY: 'Nouvelle authentification',
  TITLE_TF_SETUP: 'Configuration à deux facteurs',
  TITLE_TF_VALIDATE: 'Authentification à deux facteurs',
  TITLE_TF_SELECT: 'Choisir la méthode à deux facteurs',
  TITLE_MF_RECOVERY_CODES: 'Codes de récupération',
  TITLE_MF_RECOVERY: 'Saisir un code de récupération',
  TITLE_LOGOUT: 'Déconnexion',
  TITLE_TF_DEVICES: 'Navigateurs mémorisés',
  TITLE_ERROR: 'Erreur %(status)s',
  LINK_BACK_TO_LOGIN: 'Retour à la page de connexion',

  TF_SETUP_HEADLINE: 'L’authentification à deux facteurs ajoute une couche de sécurité supplémentaire à votre compte',
  TF_SETUP_INTRO: 'En plus de votre identifiant et de votre mot de passe, vous devrez utiliser un code.',
  TF_SETUP_CURRENT_METHOD: 'Méthode à deux facteurs actuellement configurée\u00a0: %(method)s',
  TF_SETUP_SMS_RISK: 'Les SMS peuvent être interceptés ou détournés vers une autre carte SIM\u00a0; une application d’authentification est plus sûre.',
  TF_SETUP_EMAIL_RISK: 'Un code par e-mail n’est pas plus sûr que votre messagerie\u00a0; une application d’authentification est plus sûre.',
  TF_SETUP_BACKUP_MISSING: 'Vous n’avez aucun code de récupération\u00a0: si vous perdez votre second facteur, vous ne pourrez plus vous connecter. Créez-en maintenant.',
  TF_SETUP_ENTER_CODE: 'Saisissez le code pour terminer la configuration',
  TF_SETUP_SCAN_QR:
    'Ouvrez une application d’authentification sur votre appareil et scannez le code QR ci-dessous (ou saisissez la clé à la main) pour commencer à recevoir des codes\u00a0:',
  TF_SETUP_QR_LABEL: 'Code QR à scanner avec votre application d’authentification',
  TF_SETUP_CODE_SENT_EMAIL: 'Un code a été envoyé à votre adresse e-mail.',
  TF_SETUP_CODE_SENT_SMS: 'Un code a été envoyé sur votre téléphone.',
  TF_SETUP_PHONE_HINT: 'Uniquement pour les SMS. Commencez par l’indicatif du pays, par ex. +33.',
  TF_SETUP_RECOVERY_CODES: 'Cette application permet de configurer des codes de récupération.',
  TF_SETUP_RECOVERY_CODES_LINK: 'Vous pouvez les configurer ici.',
  TF_VALIDATE_PROMPT: 'Veuillez saisir le code d’authentification obtenu par\u00a0: %(method)s',
  TF_RESCUE_EMAIL_SENT: 'Le code d’authentification a été envoyé à votre adresse e-mail',
  TF_RESCUE_HELP_SENT: 'Un e-mail nous a été envoyé pour réinitialiser l’accès à votre compte',
  MF_RECOVERY_CODES_SAVE: 'Copiez-les et conservez-les en lieu sûr. Chaque code ne peut être utilisé qu’une seule fois.',
  MF_RECOVERY_CODES_REMAINING: 'Il vous reste %(count)s codes de récupération',
  MF_RECOVERY_CODES_REMAINING_ONE: 'Il vous reste un seul code de récupération',
  MF_RECOVERY_CODES_REMAINING_NONE: 'Vous n’avez aucun code de récupération.',
  MF_RECOVERY_CODES_GENERATE_HEADING: 'Générer de nouveaux codes de récupération',
  MF_RECOVERY_CODES_REPLACE: 'Les nouveaux codes remplacent tous ceux que vous avez actuellement.',
  MF_RECOVERY_PROMPT: 'Saisissez l’un des codes de récupération que vous avez conservés. Chaque code ne fonctionne qu’une fois.',
  TF_DEVICES_INTRO:
    'Ces navigateurs ont été mémorisés lors d’une connexion\u00a0: avec le bon mot de passe, aucun code ne leur est demandé. Oubliez ceux que vous ne reconnaissez pas ou que vous n’utilisez plus.',
  TF_DEVICES_NONE: 'Aucun navigateur n’est mémorisé pour votre compte.',
  TF_DEVICES_TIMES_UTC: 'Les heures sont indiquées en temps universel (UTC).',
  TF_DEVICES_CURRENT: 'Ce navigateur',
  TF_DEVICES_UNKNOWN_AGENT: 'Navigateur inconnu',
  TF_SETUP_DEVICES: 'Aucun code n’est demandé aux navigateurs que vous avez choisi de mémoriser.',
  TF_SETUP_DEVICES_LINK: 'Consultez-les ici.',
  SIGNED_IN_AS: 'Vous êtes connecté en tant que %(email)s.',
  FLASH_PREFIX_ERROR: 'Erreur\u00a0:',
  FLASH_PREFIX_SUCCESS: 'Succès\u00a0:',
  FLASH_PREFIX_INFO: 'Information\u00a0:',
});

/** The catalogues by locale. */
export const CATALOGS: { readonly [L in Locale]: Catalog } = Object.freeze({ en: english, fr: french });

const PLACEHOLDER = /%\(([A-Za-z_][A-Za-z0-9_]*)\)s/g;

/**
 * A message's text in a language, with `%(name)s` placeholders filled from `params`.
 *
 * Values are inserted as they are: escaping for HTML is the renderer's job.
 *
 * @param key - The message key.
 * @param params - A value for every placeholder the text has (`within` for `TWO_FACTOR_SETUP_EXPIRED`,
 *   `code` for `USE_CODE`); extra values are ignored.
 * @param locale - The language, `'en'` (the default) or `'fr'`.
 * @throws TypeError when `key` or `locale` is unknown, or a placeholder has no value — a caller mistake.
 *
 * @example
 * ```ts
 * messageText('USE_CODE', { code: '123456' }); // 'Use this code to sign in: 123456'
 * messageText('TWO_FACTOR_INVALID_TOKEN'); // 'Invalid code'
 * ```
 */
export function messageText(key: MessageKey, params: MessageParams = {}, locale: Locale = 'en'): string {
  const catalog: Catalog | undefined = Object.hasOwn(CATALOGS, locale) ? CATALOGS[locale] : undefined;
  if (catalog === undefined) throw new TypeError(`Unknown locale ${JSON.stringify(locale)}; known: ${Object.keys(CATALOGS).join(', ')}`);
  if (!isMessageKey(key)) throw new TypeError(`Unknown message key ${JSON.stringify(key)}`);
  return catalog[key].replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) throw new TypeError(`Message ${key} needs a value for %(${name})s`);
    return String(value);
  });
}

/** How a message is flashed, or `null` for a label that is never flashed. */
export function messageCategory(key: MessageKey): FlashCategory | null {
  return ENGLISH[key].category;
}

/** The placeholder names a text uses, e.g. `['within']` for `TWO_FACTOR_SETUP_EXPIRED`. */
export function messagePlaceholders(key: MessageKey, locale: Locale = 'en'): string[] {
  return [...CATALOGS[locale][key].matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

/** Whether `value` is a message key; for narrowing a string read from elsewhere. */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(ENGLISH, value);
}

// The built-in methods as named in a sentence or a choice (FST `_setup_methods_xlate`); `mail` is FST's legacy name.
const METHOD_LABELS: Readonly<Record<string, MessageKey>> = {
  authenticator: 'METHOD_AUTHENTICATOR',
  email: 'METHOD_EMAIL',
  mail: 'METHOD_EMAIL',
  sms: 'METHOD_SMS',
};

/** The message key naming a built-in second-factor method; null for a plugin's own method (show its value). */
export function methodLabel(method: string): MessageKey | null {
  return Object.hasOwn(METHOD_LABELS, method) ? (METHOD_LABELS[method] as MessageKey) : null;
}

/** A duration in English words for a message: `5 minutes`, `1 minute`, `45 seconds`. */
export function humanDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}
