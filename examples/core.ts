// The core of twofold without any web framework: set up an authenticator, log in with it, use recovery codes.
import { Security, Totp, openDatastore, qrCodeSvg } from 'twofold-auth';

// Storage: SQLite here; postgres://… and mysql://… URLs work the same way.
const datastore = await openDatastore('sqlite::memory:');
await datastore.migrate();

// One Security per application. totpSecrets encrypt every user's TOTP secret at rest (AES-256-GCM).
const security = new Security(
  {
    totpSecrets: { '1': process.env.TOTP_SECRET ?? 'development-only-secret-at-least-32-bytes-long' },
    totpIssuer: 'Example App',
  },
  datastore,
);

const user = await security.createUser({ email: 'ada@example.com' });
if (user === null) throw new Error('that e-mail address is taken');

// Set-up: show the QR code (and the key, for typing by hand); nothing is active until a code confirms it.
const setup = await security.codePlugin.setupTf(user, { method: 'authenticator' });
if (!setup.ok || setup.authenticator === undefined) throw new Error(`set-up failed: ${setup.ok ? 'no key' : setup.error}`);
const qrSvg = await qrCodeSvg(setup.authenticator.uri); // inline this <svg> in the set-up page
console.log('QR code:', qrSvg.startsWith('<svg') ? 'ready' : 'missing', '- key:', setup.authenticator.key);

const phone = new Totp(setup.authenticator.b32key); // stands in for the user's authenticator app
const code = phone.generatePassword();
console.log('set-up confirmed:', await security.codePlugin.verifyToken(user, code, { pending: setup.pending }));

// Login: each code works once, even the one that confirmed the set-up.
const active = await security.findUserById(user.id);
if (active === null) throw new Error('user vanished');
console.log('methods:', await security.getTfMethods(active));
console.log('same code again:', await security.codePlugin.verifyToken(active, code));

// Recovery codes: shown once, stored hashed, each usable once.
const recoveryCodes = await security.recoveryCodes.generateCodes(active);
console.log('recovery code accepted:', await security.recoveryCodes.verifyCode(active, recoveryCodes[0]));
console.log('recovery code again:', await security.recoveryCodes.verifyCode(active, recoveryCodes[0]));
console.log('recovery codes left:', await security.recoveryCodes.getRemainingCodes(active));

await datastore.close();
