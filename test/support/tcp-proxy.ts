/** A small TCP proxy (node:net) in front of a database server, which a test cuts and restores to make the database vanish. */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Options of {@link startTcpProxy}. */
export interface TcpProxyOptions {
  /** Where the proxy forwards to, e.g. PostgreSQL's `127.0.0.1` and `5432`. */
  readonly targetHost: string;
  readonly targetPort: number;
}

/** A running proxy. */
export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1); it keeps it across {@link cut} and {@link restore}. */
  readonly port: number;
  /** Client connections open now. */
  readonly openConnections: number;
  /** Whether the proxy is cut. */
  readonly isCut: boolean;
  /**
   * The database goes away: every open connection is destroyed (both sides) and the port stops listening, so a
   * new connection is refused (`ECONNREFUSED`) until {@link restore}.
   */
  cut(): Promise<void>;
  /**
   * The network to the database goes silent, as in a partition: connections stay open and new ones are
   * accepted, but nothing passes either way and nobody is told. {@link restore} then drops the stalled
   * connections, as TCP eventually would.
   */
  stall(): void;
  /** The database is back: the proxy listens again on the same port (after a stall: stalled connections end). */
  restore(): Promise<void>;
  /**
   * Cuts (as {@link cut}) the moment a client sends bytes that `matches` accepts, before they reach the server,
   * so a statement can be made to fail half-way through a request. PostgreSQL's wire protocol sends each
   * statement's text in clear, so `chunk.includes('delete from "twofold_trusted_devices"')` picks one statement.
   * Resolves once it cut.
   */
  cutWhen(matches: (chunk: Buffer) => boolean): Promise<void>;
  /** Stops the proxy and ends every connection. */
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 at a random port, forwarding every connection to the target.
 *
 * @example
 * ```ts
 * const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: 5432 });
 * const datastore = await openDatastore(`postgres://postgres@127.0.0.1:${proxy.port}/twofold_test_x`);
 * await proxy.cut(); // queries now fail: open connections were dropped, new ones are refused
 * await proxy.restore();
 * await proxy.close();
 * ```
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let server: Server | null = null;
  let port = 0;
  let trigger: { matches: (chunk: Buffer) => boolean; fired: () => void } | null = null;
  let stalled = false;

  const accept = (client: Socket): void => {
    const upstream = connect({ host: options.targetHost, port: options.targetPort });
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (stalled) return;
      const armed = trigger;
      if (armed !== null && armed.matches(chunk)) {
        trigger = null;
        void cut().then(armed.fired);
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const next = createServer(accept);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        const address = next.address();
        if (address === null || typeof address === 'string') return reject(new Error('the proxy did not report a TCP port'));
        port = address.port;
        server = next;
        resolve();
      });
    });

  function dropAll(): void {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    pairs.clear();
  }

  async function cut(): Promise<void> {
    const stopping = server;
    server = null;
    dropAll();
    if (stopping !== null) await new Promise<void>((resolve) => stopping.close(() => resolve()));
  }

  await listen();
  return {
    get port() {
      return port;
    },
    get openConnections() {
      return pairs.size;
    },
    get isCut() {
      return server === null;
    },
    cut,
    stall() {
      stalled = true;
    },
    async restore() {
      if (stalled) {
        stalled = false;
        dropAll();
      }
      if (server === null) await listen();
    },
    cutWhen(matches) {
      return new Promise((resolve) => {
        trigger = { matches, fired: resolve };
      });
    },
    async close() {
      trigger = null;
      await cut();
    },
  };
}
