/**
 * The server side of `npm run bench:http`, run in its own process by `bench/http.ts`: two Express 5 apps with
 * the same `GET /profile` handler, one behind `twofoldExpress(security).middleware()` + `tfRequired()` on a SQLite file (WAL), one
 * bare; a clock the load generator can move forward; and the server time of every login request.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type Request, type Response } from 'express';
import { systemClock, type Clock } from '../../src/clock.js';
import { Totp } from '../../src/otp/totp-class.js';
import { hashPassword } from '../../src/passwords.js';
import { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { RequestTiming, ServerAnswer, ServerQuestion, ServerReady } from './protocol.js';
import { twofoldExpress } from '../../src/express.js';

const EMAIL = 'bench@example.test';
const PASSWORD = 'correct horse battery staple';

const databaseFile = process.env.TWOFOLD_BENCH_DATABASE;
if (databaseFile === undefined || process.send === undefined) {
  throw new Error('bench/support/http-server.ts is started by bench/http.ts (it needs TWOFOLD_BENCH_DATABASE and an IPC channel)');
}

/** The real clock plus an offset the load generator raises by one TOTP step per login, so every login has a fresh code. */
function advancingClock(): Clock & { advance(seconds: number): void } {
  let offsetInSeconds = 0;
  return {
    nowInSeconds: () => systemClock.nowInSeconds() + offsetInSeconds,
    advance: (seconds) => {
      offsetInSeconds += seconds;
    },
  };
}

const clock = advancingClock();
const datastore = await openDatastore(`sqlite:${databaseFile}`);
await datastore.migrate();
const security = new Security(
  { totpSecrets: { '1': 'benchmark-only-key-ring-secret-0123456789-abcdef' }, totpIssuer: 'twofold bench' },
  datastore,
  { clock },
);

// The user sets up an authenticator the way an application's set-up page would: start, then confirm with a code.
const created = await security.createUser({ email: EMAIL, passwordHash: await hashPassword(PASSWORD) });
if (created === null) throw new Error(`${EMAIL} exists in a fresh database`);
const setup = await security.codePlugin.setupTf(created, { method: 'authenticator' });
if (!setup.ok || setup.authenticator === undefined) throw new Error(`authenticator set-up failed: ${setup.ok ? 'no key' : setup.error}`);
const phone = new Totp(setup.authenticator.b32key);
if (!(await security.codePlugin.verifyToken(created, phone.generatePassword(clock.nowInSeconds()), { pending: setup.pending }))) {
  throw new Error('the set-up code was refused');
}

/** Both apps answer with this, so the only difference between them is the middleware in front. */
function profile(req: Request, res: Response): void {
  res.json({ email: req.twofold?.user.email ?? EMAIL });
}

const bare = express();
bare.get('/profile', profile);

const timings = { validate: [] as RequestTiming[], login: [] as RequestTiming[] };
const validatePath = security.urlFor('tfValidate');
const loginPath = security.urlFor('login');
const app = express();
// Outermost, so the time covers the adapter, `security.handle` and writing the reply, and nothing of the client.
app.use((req, res, next) => {
  const list = req.method !== 'POST' ? null : req.path === validatePath ? timings.validate : req.path === loginPath ? timings.login : null;
  if (list !== null) {
    const start = process.hrtime.bigint();
    res.on('finish', () => list.push({ milliseconds: Number(process.hrtime.bigint() - start) / 1e6, status: res.statusCode }));
  }
  next();
});
const tf = twofoldExpress(security);
app.use(tf.middleware());
app.get('/profile', tf.tfRequired(), profile);

async function listen(handler: express.Express): Promise<Server> {
  const server = createServer(handler);
  // The load generator keeps its connections between rounds; Node's 5 s default would close the idle pool.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const servers = [await listen(app), await listen(bare)] as const;
const port = (server: Server): number => (server.address() as AddressInfo).port;

function answer(question: ServerQuestion): ServerAnswer {
  switch (question.type) {
    case 'advanceClock':
      clock.advance(question.seconds);
      return { id: question.id, type: 'advanceClock', nowInSeconds: clock.nowInSeconds() };
    case 'usage': {
      const cpu = process.cpuUsage();
      const loop = performance.eventLoopUtilization();
      return { id: question.id, type: 'usage', cpuInMicroseconds: cpu.user + cpu.system, loopIdleInMilliseconds: loop.idle, loopActiveInMilliseconds: loop.active };
    }
    case 'takeTimings':
      return { id: question.id, type: 'takeTimings', validate: timings.validate.splice(0), login: timings.login.splice(0) };
  }
}

process.on('message', (question: ServerQuestion) => process.send?.(answer(question)));
// The parent closing the channel is the signal to stop (also when it dies).
process.on('disconnect', () => {
  for (const server of servers) server.closeAllConnections();
  void Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    .then(() => datastore.close())
    .finally(() => {
      rmSync(databaseFile, { force: true });
      rmSync(`${databaseFile}-wal`, { force: true });
      rmSync(`${databaseFile}-shm`, { force: true });
      process.exit(0);
    });
});

const ready: ServerReady = {
  type: 'ready',
  authPort: port(servers[0]),
  barePort: port(servers[1]),
  email: EMAIL,
  password: PASSWORD,
  totpKeyBase32: setup.authenticator.b32key,
};
process.send(ready);
