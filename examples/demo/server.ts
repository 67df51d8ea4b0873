/**
 * `npm start`: runs the demo on 127.0.0.1:`PORT` (3000 by default; 0 picks a free port) on Express, or on the
 * framework `DEMO_SERVER` names (`express`, `fastify`, `hono`), prints its URL, and on SIGTERM or SIGINT stops
 * taking requests, closes the datastore and exits 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwofoldError } from '../../src/errors.js';
import { createDemoApp, type DemoApp } from './app.js';
import { demoServer, parseDemoServer } from './servers.js';

const HOST = '127.0.0.1';
/** How long open requests get to finish after a signal before their connections are cut. */
const SHUTDOWN_GRACE_IN_MILLISECONDS = 5_000;

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value.trim()) || port > 65_535) throw new TypeError(`PORT must be a port number from 0 to 65535; got ${JSON.stringify(value)}`);
  return port;
}

async function main(): Promise<void> {
  let demo: DemoApp;
  let port: number;
  let server: Server;
  try {
    port = parsePort(process.env.PORT);
    const kind = parseDemoServer(process.env.DEMO_SERVER);
    demo = await createDemoApp();
    server = await demoServer(demo, kind);
  } catch (error) {
    // A configuration mistake: its message names the fix; the stack would only hide it.
    const known = error instanceof TwofoldError || error instanceof TypeError;
    process.stderr.write(`twofold demo: cannot start: ${known ? error.message : String(error)}\n`);
    if (!known) console.error(error);
    process.exit(1);
  }

  server.listen(port, HOST);
  server.on('listening', () => {
    const { port: actual } = server.address() as AddressInfo;
    process.stdout.write(`twofold demo listening on http://${HOST}:${actual}\n`);
  });
  server.on('error', (error) => {
    process.stderr.write(`twofold demo: cannot listen on ${HOST}:${port}: ${error.message}\n`);
    void demo.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`twofold demo: ${signal} received, shutting down\n`);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_IN_MILLISECONDS).unref();
    server.close(() => {
      clearTimeout(force);
      demo.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('twofold demo: closing the datastore failed:', error);
          process.exit(1);
        },
      );
    });
    // Keep-alive connections with no request in flight would hold `close` open until they time out.
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
