// twofold in a Hono 4 application on Node (@hono/node-server): a middleware serves twofold's URLs, guards are middleware.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Security, hashPassword, openDatastore } from 'twofold-auth';
import { twofoldHono } from 'twofold-auth/hono';

const datastore = await openDatastore(process.env.DATABASE_URL ?? 'sqlite::memory:');
await datastore.migrate();
const security = new Security(
  { totpSecrets: { '1': process.env.TOTP_SECRET ?? 'development-only-secret-at-least-32-bytes-long' }, totpIssuer: 'Example App' },
  datastore,
);
await security.createUser({ email: 'ada@example.com', passwordHash: await hashPassword('correct horse battery staple') });

// Hono trusts no proxy: behind one, say who the client is, e.g. twofoldHono(security, { clientAddress: (c) => … }).
const tf = twofoldHono(security);
const app = new Hono();
app.use(tf.middleware()); // /login, /tf-setup, /tf-validate, … and c.var.twofold on every other request

app.get('/', (c) => c.text(c.var.twofold ? `Hello ${c.var.twofold.user.email}` : 'Hello stranger: log in at /login'));
app.get('/account', tf.loginRequired(), (c) => c.json({ email: c.var.twofold?.user.email }));
app.get('/admin', tf.tfRequired(), (c) => c.text('Only users who passed their second factor get here.'));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
