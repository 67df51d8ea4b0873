/**
 * HTTP/1.1 over raw keep-alive sockets, for the benchmark's client side: a load generator (a fixed number of
 * connections, one request in flight on each, the same request bytes every time) and one-off requests.
 * A response is read only as far as status, head and `Content-Length` body. Node's `http` client spends
 * several times the server's own cost per request on a route this cheap, so with it the bare route would
 * measure the client; this one stays well below the server. And a request goes out in one write, head and
 * body together, so the server never waits for the client in the middle of a request it is timing.
 */
import { connect, type Socket } from 'node:net';

/** A response as read off the socket. */
export interface RawResponse {
  readonly status: number;
  /** The status line and headers, without the blank line. */
  readonly head: string;
  readonly body: Buffer;
}

/** One keep-alive connection to `127.0.0.1:port`; requests on it must not overlap. */
export class HttpConnection {
  readonly #socket: Socket;
  #received: Buffer = Buffer.alloc(0);
  onResponse: (response: RawResponse) => void = () => {};
  onFailure: (error: Error) => void = () => {};

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.onFailure(error));
    socket.on('close', () => this.onFailure(new Error('the server closed a keep-alive connection')));
  }

  static open(port: number): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new HttpConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Writes a whole request (head and body) in one write. */
  send(request: Buffer): void {
    this.#socket.write(request);
  }

  /** Sends one request and waits for its response. */
  request(request: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.onResponse = resolve;
      this.onFailure = reject;
      this.send(Buffer.from(request, 'utf8'));
    });
  }

  close(): void {
    this.#socket.removeAllListeners('close');
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk]);
    for (;;) {
      const headEnd = this.#received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = this.#received.toString('latin1', 0, headEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length === undefined) {
        this.onFailure(new Error(`a response without Content-Length (no other framing is read here): ${head.split('\r\n')[0]}`));
        return;
      }
      const end = headEnd + 4 + Number(length);
      if (this.#received.length < end) return;
      const body = this.#received.subarray(headEnd + 4, end);
      this.#received = this.#received.subarray(end);
      this.onResponse({ status: Number(head.slice(9, 12)), head, body });
    }
  }
}

/** What one timed run did. */
export interface LoadRound {
  /** Responses received (any status). */
  readonly responses: number;
  /** Responses whose status was not 200. */
  readonly failures: number;
  /** The first failing status line, to say what went wrong. */
  readonly firstFailure: string | null;
  /** From the first request sent to the last response received. */
  readonly elapsedInSeconds: number;
  /** This process's CPU time (user + system) during the run: how busy the load generator itself was. */
  readonly clientCpuInSeconds: number;
}

/** A pool of connections to one server, all sending one request; opened once and reused by every round. */
export class LoadPool {
  readonly #connections: readonly HttpConnection[];
  readonly #request: Buffer;

  private constructor(connections: readonly HttpConnection[], request: Buffer) {
    this.#connections = connections;
    this.#request = request;
  }

  /** Opens `connections` sockets to `127.0.0.1:port`; each will send `request` (a whole HTTP/1.1 request). */
  static async open(port: number, request: string, connections: number): Promise<LoadPool> {
    const opened = await Promise.all(Array.from({ length: connections }, () => HttpConnection.open(port)));
    return new LoadPool(opened, Buffer.from(request, 'utf8'));
  }

  /**
   * Keeps every connection busy for `durationInMilliseconds`, then lets the requests in flight finish: every
   * request sent is counted, over the time until its response came.
   */
  run(durationInMilliseconds: number): Promise<LoadRound> {
    return new Promise((resolve, reject) => {
      const cpuAtStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      const deadline = start + BigInt(Math.round(durationInMilliseconds * 1e6));
      let responses = 0;
      let failures = 0;
      let firstFailure: string | null = null;
      let busy = this.#connections.length;
      let failed = false;
      for (const connection of this.#connections) {
        connection.onFailure = (error) => {
          if (!failed) reject(error);
          failed = true;
        };
        connection.onResponse = ({ status, head }) => {
          responses++;
          if (status !== 200) {
            failures++;
            firstFailure ??= head.slice(0, head.indexOf('\r\n'));
          }
          const now = process.hrtime.bigint();
          if (now < deadline) return connection.send(this.#request);
          if (--busy > 0) return;
          const cpu = process.cpuUsage(cpuAtStart);
          resolve({ responses, failures, firstFailure, elapsedInSeconds: Number(now - start) / 1e9, clientCpuInSeconds: (cpu.user + cpu.system) / 1e6 });
        };
        connection.send(this.#request);
      }
    });
  }

  close(): void {
    for (const connection of this.#connections) connection.close();
  }
}
