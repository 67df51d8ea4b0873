// twofold in an Express 5 application: login with a second factor, pages and JSON API, and guarded routes.
import express from 'express';
import { Security, createMailer, hashPassword, openDatastore } from 'twofold-auth';
import { twofoldExpress } from 'twofold-auth/express';

const datastore = await openDatastore(process.env.DATABASE_URL ?? 'sqlite::memory:');
await datastore.migrate();

const security = new Security(
  {
    totpSecrets: { '1': process.env.TOTP_SECRET ?? 'development-only-secret-at-least-32-bytes-long' },
    totpIssuer: 'Example App',
    twoFactorRequired: true, // or (user) => user.email.endsWith('@example.com')
    twoFactorEnabledMethods: ['authenticator', 'email'],
  },
  datastore,
  { mailer: createMailer({ smtpUrl: process.env.SMTP_URL, from: 'no-reply@example.com' }) },
);
await security.createUser({ email: 'ada@example.com', passwordHash: await hashPassword('correct horse battery staple') });

const tf = twofoldExpress(security);
const app = express();
app.use(tf.middleware()); // /login, /tf-setup, /tf-validate, … and req.twofold on every other request

app.get('/', (req, res) => {
  res.send(req.twofold ? `Hello ${req.twofold.user.email}` : 'Hello stranger: <a href="/login">log in</a>');
});
app.get('/account', tf.loginRequired(), (req, res) => {
  res.json({ email: req.twofold?.user.email });
});
app.get('/admin', tf.tfRequired(), (_req, res) => {
  res.send('Only users who passed their second factor get here.');
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : ''}`);
});
