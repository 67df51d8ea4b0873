// twofold in a Fastify 5 application: the plugin serves twofold's URLs, guards are preHandler hooks.
import Fastify from 'fastify';
import { Security, hashPassword, openDatastore } from 'twofold-auth';
import { twofoldFastify } from 'twofold-auth/fastify';

const datastore = await openDatastore(process.env.DATABASE_URL ?? 'sqlite::memory:');
await datastore.migrate();
const security = new Security(
  { totpSecrets: { '1': process.env.TOTP_SECRET ?? 'development-only-secret-at-least-32-bytes-long' }, totpIssuer: 'Example App' },
  datastore,
);
await security.createUser({ email: 'ada@example.com', passwordHash: await hashPassword('correct horse battery staple') });

const tf = twofoldFastify(security);
const app = Fastify(); // behind a proxy: Fastify({ trustProxy: '127.0.0.1' }), and twofold follows request.ip
await app.register(tf.plugin); // /login, /tf-setup, /tf-validate, … and request.twofold on every other request

app.get('/', async (request) => (request.twofold ? `Hello ${request.twofold.user.email}` : 'Hello stranger: log in at /login'));
app.get('/account', { preHandler: tf.loginRequired() }, async (request) => ({ email: request.twofold?.user.email }));
app.get('/admin', { preHandler: tf.tfRequired() }, async () => 'Only users who passed their second factor get here.');

const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${url}`);
