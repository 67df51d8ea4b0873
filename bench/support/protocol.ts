/** The messages between `bench/http.ts` and the server process it spawns (`bench/support/http-server.ts`), over Node's IPC channel. */

/** Sent once by the server when both apps listen and the bench user exists. */
export interface ServerReady {
  readonly type: 'ready';
  /** The app with `twofoldExpress(security).middleware()` and `tfRequired()` on `GET /profile`. */
  readonly authPort: number;
  /** The same handler on `GET /profile`, with no middleware at all. */
  readonly barePort: number;
  readonly email: string;
  readonly password: string;
  /** The authenticator key the user confirmed at set-up: the load generator's "phone". */
  readonly totpKeyBase32: string;
}

/** A question from the load generator; the server answers each with the {@link ServerAnswer} of the same `type` and `id`. */
export type ServerQuestion =
  | { readonly id: number; readonly type: 'advanceClock'; readonly seconds: number }
  | { readonly id: number; readonly type: 'usage' }
  | { readonly id: number; readonly type: 'takeTimings' };

/** A question as the asker writes it; the channel adds the `id`. */
export type Question = ServerQuestion extends infer One ? (One extends ServerQuestion ? Omit<One, 'id'> : never) : never;

/** The answer to a question of type `T`. */
export type AnswerTo<T extends ServerQuestion['type']> = Extract<ServerAnswer, { type: T }>;

export type ServerAnswer =
  | { readonly id: number; readonly type: 'advanceClock'; readonly nowInSeconds: number }
  | {
      readonly id: number;
      readonly type: 'usage';
      /** `process.cpuUsage()`, user + system, since the server started. */
      readonly cpuInMicroseconds: number;
      /** `performance.eventLoopUtilization()` totals since the server started. */
      readonly loopIdleInMilliseconds: number;
      readonly loopActiveInMilliseconds: number;
    }
  | {
      readonly id: number;
      readonly type: 'takeTimings';
      /** Server time of every `POST /tf-validate` and `POST /login` since the last take, with its status. */
      readonly validate: readonly RequestTiming[];
      readonly login: readonly RequestTiming[];
    };

/** One request's time inside the server, from the first middleware to the response handed to the socket. */
export interface RequestTiming {
  readonly milliseconds: number;
  readonly status: number;
}
