/**
 * Threat: a client sends whatever it likes — wrong types, huge or deeply nested bodies, broken encodings and
 * JSON, odd content types, methods and paths, missing or forged CSRF tokens, and every step out of order. No such
 * request may crash the handler, hang, answer 5xx, leak a secret or a stack trace, or change what it must not.
 *
 * Each property starts from one of twelve states (see test/support/fuzz.ts) and checks every reply and the whole
 * database after it; the database is put back after each case, so every case starts from the same place.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/request.js';
import { PASSWORD, useDatastore } from '../support/app.js';
import {
  accept,
  anyBody,
  buildWorld,
  cookieJunk,
  csrfMode,
  csrfVerdict,
  deepText,
  describeSpec,
  extraHeaders,
  formText,
  garbageFields,
  jsonishText,
  junkPath,
  junkQuery,
  mayAdvance,
  multipart,
  NOTHING,
  pathOf,
  qsFormText,
  routeOf,
  ROUTES,
  runCase,
  STATE_NAMES,
  wrongToken,
  type Allowance,
  type BodySpec,
  type CaseResult,
  type CookieMode,
  type CsrfMode,
  type FuzzWorld,
  type RequestSpec,
  type Route,
  type StateName,
  type Transport,
} from '../support/fuzz.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
let world: FuzzWorld;
beforeAll(async () => {
  world = await buildWorld(db.datastore);
}, 60_000);

/** Cases run per property (shrinking runs included) and how they were answered, printed at the end. */
const tally = new Map<string, Map<string, number>>();
const started = Date.now();
afterAll(() => {
  let total = 0;
  for (const [name, answers] of tally) {
    const count = [...answers.values()].reduce((sum, n) => sum + n, 0);
    const spread = [...answers].sort(([a], [b]) => a.localeCompare(b)).map(([answer, n]) => `${answer}×${n}`);
    console.log(`fuzz: ${name} ${count} cases (${spread.join(' ')})`);
    total += count;
  }
  console.log(`fuzz: total ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function count(name: string, result: CaseResult): void {
  const answers = tally.get(name) ?? new Map<string, number>();
  const answer = result.outcome.kind === 'reply' ? String(result.outcome.status) : result.outcome.kind;
  answers.set(answer, (answers.get(answer) ?? 0) + 1);
  tally.set(name, answers);
}

const DEFAULTS = { contentType: 'application/json', accept: 'application/json', headers: {}, cookie: 'state', cookieJunk: '', csrf: 'header', wrongToken: '', body: { kind: 'none' } } as const;
const state = fc.constantFrom(...STATE_NAMES);
const postMostly = fc.constantFrom('GET', 'POST', 'POST', 'POST');
const routeWithQuery = fc.tuple(fc.constantFrom(...ROUTES), fc.oneof({ weight: 4, arbitrary: fc.constant('') }, junkQuery)).map(([route, query]) => route + query);

type Expectation = (spec: RequestSpec, result: CaseResult) => string[];

/** `FUZZ_SCALE=10 npx vitest run test/security/fuzz.test.ts` runs ten times the cases, with new random seeds. */
const SCALE = Number(process.env.FUZZ_SCALE ?? '1');

interface FuzzOptions {
  /** How requests reach twofold; `security.handle` by default. */
  readonly via?: { readonly transport: Transport; readonly base: string };
  readonly numRuns: number;
  /** Extra rules for this property. */
  readonly expect?: Expectation;
  /** Skip cases that could take a real step (right code, password, offered choice); on by default. */
  readonly skipAdvancing?: boolean;
  readonly allowance?: (spec: RequestSpec) => Allowance;
}

async function fuzz(name: string, arbitrary: fc.Arbitrary<RequestSpec>, options: FuzzOptions): Promise<void> {
  // fast-check prints a counterexample with its toStringMethod: keep megabyte bodies out of the report.
  const printable = arbitrary.map((spec) => Object.assign(spec, { [fc.toStringMethod]: () => describeSpec(spec) }));
  await fc.assert(
    fc.asyncProperty(printable, async (spec) => {
      if (options.skipAdvancing !== false) fc.pre(!mayAdvance(world, spec));
      const result = await runCase(world, spec, options.allowance?.(spec), options.via);
      count(name, result);
      const problems = [...result.violations, ...(options.expect?.(spec, result) ?? [])];
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }),
    { numRuns: Math.max(1, Math.round(options.numRuns * SCALE)) },
  );
}

function statusOf(result: CaseResult): number | null {
  return result.outcome.kind === 'reply' ? result.outcome.status : null;
}

const isPost = (spec: RequestSpec) => spec.method.toUpperCase() === 'POST';

/** A right token is never refused; a surely wrong one always is (or the body is refused before it is read). */
const csrfRule: Expectation = (spec, result) => {
  const status = statusOf(result);
  if (status === null || !isPost(spec) || routeOf(pathOf(spec, world)) === null) return [];
  const verdict = csrfVerdict(spec, world);
  if (verdict === 'right' && status === 403) return ['403 with the right CSRF token'];
  if (verdict === 'wrong' && ![400, 403, 413, 415].includes(status)) return [`${status} without the right CSRF token`];
  return [];
};

describe('property-based fuzz of every endpoint and form', () => {
  it('wrong types, unicode and boundary lengths in the real field names, from every state', () =>
    fuzz(
      'fields',
      fc
        .record({
          state,
          method: postMostly,
          path: routeWithQuery,
          accept,
          csrf: csrfMode,
          wrongToken,
          fields: garbageFields,
          encoding: fc.constantFrom('json', 'json', 'form'),
        })
        .map(({ fields, encoding, ...rest }): RequestSpec => {
          const form = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]));
          const body: BodySpec = encoding === 'json' ? { kind: 'json', fields } : { kind: 'form', text: form.toString() };
          return { ...DEFAULTS, ...rest, body, contentType: encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' };
        }),
      { numRuns: 1000, expect: csrfRule },
    ), 120_000);

  it('arbitrary JSON values and text that is not JSON', () =>
    fuzz(
      'json',
      fc
        .record({ state, method: postMostly, path: routeWithQuery, accept, csrf: csrfMode, wrongToken, text: jsonishText, contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') })
        .map(({ text, ...rest }): RequestSpec => ({ ...DEFAULTS, ...rest, body: { kind: 'text', text } })),
      {
        numRuns: 500,
        expect: (spec, result) => {
          // request.ts: a JSON body that is not an object is 400 before anything else (an empty one is an empty form).
          const text = spec.body.kind === 'text' ? new TextDecoder().decode(Buffer.from(spec.body.text)) : '';
          if (!isPost(spec) || routeOf(pathOf(spec, world)) === null || text === '' || isJsonObject(text)) return [];
          const expected = result.bodyBytes > MAX_BODY_BYTES ? 413 : 400;
          return statusOf(result) === expected ? [] : [`${statusOf(result)} for a JSON body that is not an object (${result.bodyBytes} bytes)`];
        },
      },
    ), 120_000);

  it('nesting 10 000 deep and bodies past the 64 KiB limit (413), streamed, declared or lying about their length', () =>
    fuzz(
      'deep-and-huge',
      fc
        .record({
          state,
          path: fc.constantFrom(...ROUTES),
          accept,
          size: fc.constantFrom(MAX_BODY_BYTES + 1, 70 * 1024, 256 * 1024, 1024 * 1024),
          deep: deepText,
          shape: fc.constantFrom('deep', 'deep', 'text', 'field', 'stream', 'broken', 'declared', 'lying'),
          contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', null),
        })
        .map(({ size, deep, shape, contentType: type, ...rest }): RequestSpec => {
          const base = { ...DEFAULTS, ...rest, method: 'POST', contentType: type };
          if (shape === 'deep') return { ...base, contentType: deep.shape === 'form' ? 'application/x-www-form-urlencoded' : 'application/json', body: { kind: 'text', text: deep.text } };
          if (shape === 'field') return { ...base, contentType: 'application/json', body: { kind: 'json', fields: { code: 'x'.repeat(size), email: 'a@b.test' } } };
          if (shape === 'stream') return { ...base, body: { kind: 'stream', chunkBytes: 1024, chunks: Math.ceil(size / 1024), fails: false } };
          // A client that goes away mid-body: the stream errors after a few chunks.
          if (shape === 'broken') return { ...base, body: { kind: 'stream', chunkBytes: 1024, chunks: 3, fails: true } };
          if (shape === 'declared') return { ...base, headers: { 'content-length': String(size) }, body: { kind: 'text', text: '{}' } };
          if (shape === 'lying') return { ...base, headers: { 'content-length': '2' }, body: { kind: 'text', text: 'x'.repeat(size) } };
          return { ...base, body: { kind: 'text', text: 'x'.repeat(size) } };
        }),
      {
        numRuns: 150,
        expect: (spec, result) => {
          const declared = Number(spec.headers['content-length'] ?? '0');
          const tooBig = result.bodyBytes > MAX_BODY_BYTES || declared > MAX_BODY_BYTES;
          return tooBig && statusOf(result) !== 413 ? [`${statusOf(result)} for a body of ${result.bodyBytes} bytes (declared ${declared})`] : [];
        },
      },
    ), 120_000);

  it('form bodies with repeated keys and odd encodings, multipart bodies, raw bytes', () =>
    fuzz(
      'forms',
      fc
        .record({
          state,
          method: postMostly,
          path: routeWithQuery,
          accept,
          csrf: csrfMode,
          wrongToken,
          payload: fc.oneof(
            formText.map((text) => ({ body: { kind: 'form', text } as BodySpec, contentType: 'application/x-www-form-urlencoded' as string | null })),
            multipart.map(({ body, contentType: type }) => ({ body: body as BodySpec, contentType: type as string | null })),
            fc.record({ body: fc.uint8Array({ maxLength: 96 }).map((bytes): BodySpec => ({ kind: 'bytes', bytes })), contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') }),
          ),
        })
        .map(({ payload, ...rest }): RequestSpec => ({ ...DEFAULTS, ...rest, ...payload })),
      { numRuns: 600, expect: csrfRule },
    ), 120_000);

  it('content types, methods, Accept, cookies, API tokens and lying headers', () =>
    fuzz(
      'headers',
      fc
        .record({
          state,
          method: fc.constantFrom('GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'FOO', 'get', 'Post'),
          path: routeWithQuery,
          accept,
          headers: extraHeaders,
          cookie: fc.constantFrom<CookieMode>('state', 'state', 'none', 'junk-before', 'junk-after', 'junk-only'),
          cookieJunk,
          secure: fc.boolean(),
          csrf: csrfMode,
          wrongToken,
          payload: anyBody,
        })
        .map(({ payload, ...rest }): RequestSpec => ({ ...DEFAULTS, ...rest, ...payload })),
      {
        numRuns: 600,
        expect: (spec, result) => {
          const route = routeOf(pathOf(spec, world));
          const method = spec.method.toUpperCase();
          const allowed = route === '/tf-setup/{TOKEN}' ? ['POST'] : ['GET', 'HEAD', 'POST'];
          if (route === null || allowed.includes(method) || result.outcome.kind !== 'reply') return [];
          const { status, headers } = result.outcome;
          return status === 405 && headers.get('allow') !== null ? [] : [`${status} (Allow: ${String(headers.get('allow'))}) for ${method}`];
        },
      },
    ), 120_000);

  it('paths (/tf-setup/<anything>, dot segments, encodings) and junk query strings', () =>
    fuzz(
      'paths',
      fc
        .record({ state, method: fc.constantFrom('GET', 'POST', 'HEAD'), path: fc.tuple(junkPath, junkQuery).map(([path, query]) => path + query), accept, csrf: csrfMode, wrongToken, fields: garbageFields })
        .map(({ fields, ...rest }): RequestSpec => ({ ...DEFAULTS, ...rest, body: { kind: 'json', fields } })),
      {
        numRuns: 500,
        expect: (spec, result) => {
          const { pathname } = new URL(`http://localhost${pathOf(spec, world)}`);
          const ours = routeOf(pathOf(spec, world)) !== null || pathname === '/static/twofold.css';
          return ours === (result.outcome.kind !== 'not-ours') ? [] : [`${result.outcome.kind} for ${pathname}`];
        },
      },
    ), 120_000);
});

/** Real, well-formed bodies for each step, right codes and the password included: whether they may act is the state's call. */
function stepBodies(name: StateName): Readonly<Record<Route, readonly Record<string, unknown>[]>> {
  const s = world.states[name];
  const code = s.code ?? '123456';
  return {
    '/login': [{ email: s.user?.email ?? 'validate@fuzz.test', password: PASSWORD }],
    '/logout': [{}],
    '/verify': [{ password: PASSWORD }],
    '/tf-setup': [{ setup: 'authenticator' }, { setup: 'email' }, { setup: 'sms', phone: '+16505550101' }, { setup: 'disable' }, { setup: 'mail' }],
    '/tf-setup/{TOKEN}': [{ code }, { code: Number(code) }],
    '/tf-validate': [{ code }, { code: ` ${code} ` }],
    '/tf-rescue': [{ help_setup: 'help' }, { help_setup: 'email' }, { help_setup: 'recovery_code' }],
    '/tf-select': [{ which: 'authenticator' }, { which: 'always' }],
    '/tf-devices': [{ revoke: 'all' }, { revoke: 'a'.repeat(64) }],
    '/mf-recovery-codes': [{ generate_new_codes: true }, {}],
    '/mf-recovery': [{ code: world.recoveryCodes[0] }],
  };
}

function stepSpec(name: StateName, route: Route, index: number, method: string, csrf: CsrfMode, json: boolean, token: string): RequestSpec {
  const bodies = stepBodies(name)[route];
  const fields = bodies[index % bodies.length] ?? {};
  const body: BodySpec = json ? { kind: 'json', fields } : { kind: 'form', text: new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString() };
  return {
    ...DEFAULTS,
    state: name,
    method,
    path: route,
    accept: json ? 'application/json' : 'text/html',
    contentType: json ? 'application/json' : 'application/x-www-form-urlencoded',
    csrf,
    wrongToken: token,
    body,
  };
}

/** The steps each state may not take (their predecessors are missing), as docs/flask-security-reference.md §2 and §3.2 say. */
const ANONYMOUS_STEPS: readonly Route[] = ['/verify', '/tf-setup', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'];
const VALIDATE_STEPS: readonly Route[] = ['/verify', '/tf-setup', '/tf-setup/{TOKEN}', '/tf-select', '/tf-devices', '/mf-recovery-codes'];
const OUT_OF_ORDER: Readonly<Record<StateName, readonly Route[]>> = {
  visitor: ANONYMOUS_STEPS,
  anonymous: ANONYMOUS_STEPS,
  setup: ['/verify', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'],
  setupPending: ['/verify', '/tf-setup/{TOKEN}', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'],
  validate: VALIDATE_STEPS,
  validateEmail: VALIDATE_STEPS,
  validateSms: VALIDATE_STEPS,
  select: ['/verify', '/tf-setup', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'],
  fresh: ['/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/mf-recovery'],
  stale: ['/tf-setup', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'],
  changing: ['/tf-rescue', '/tf-select', '/mf-recovery'],
  apiToken: ['/verify', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/mf-recovery'],
};

describe('steps and tokens that must not act', () => {
  it('a missing, wrong or foreign CSRF token: 403 and nothing at all changes, whatever the body holds', () =>
    fuzz(
      'csrf',
      fc
        .record({
          state: fc.constantFrom(...STATE_NAMES.filter((name) => name !== 'apiToken')),
          route: fc.constantFrom(...ROUTES),
          index: fc.nat(),
          json: fc.boolean(),
          csrf: fc.constantFrom<CsrfMode>('missing', 'wrong-header', 'foreign-header', 'wrong-field', 'typed-field'),
          token: wrongToken,
        })
        .map(({ state: name, route, index, json, csrf, token }) => stepSpec(name, route, index, 'POST', !json && csrf === 'typed-field' ? 'missing' : csrf, json, token)),
      {
        numRuns: 500,
        skipAdvancing: false,
        allowance: () => NOTHING,
        expect: (_spec, result) => (statusOf(result) === 403 ? [] : [`${statusOf(result)}, not 403`]),
      },
    ), 120_000);

  it('every step called without the steps before it, with right codes and the password: refused, nothing advances', () => {
    const pairs = STATE_NAMES.flatMap((name) => OUT_OF_ORDER[name].map((route) => [name, route] as const));
    return fuzz(
      'out-of-order',
      fc
        .record({ pair: fc.constantFrom(...pairs), index: fc.nat(), method: fc.constantFrom('GET', 'POST', 'POST'), json: fc.boolean(), csrf: fc.constantFrom<CsrfMode>('header', 'field') })
        .map(({ pair: [name, route], index, method, json, csrf }) => stepSpec(name, route, index, method, csrf, json, '')),
      {
        numRuns: 600,
        skipAdvancing: false,
        allowance: (spec) => ({ ...NOTHING, ownSessionHash: world.states[spec.state].sessionHash, newAnonymousSession: true }),
        expect: (spec, result) => {
          const status = statusOf(result);
          const refused = status !== null && (status >= 400 || (status === 302 && spec.accept === 'text/html'));
          return refused ? [] : [`${String(status)} for ${spec.method} ${spec.path} in state ${spec.state}`];
        },
      },
    );
  }, 120_000);
});

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

describe('through the Express adapter, behind the body parsers an application mounts first', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const app = express();
    app.use(express.json(), express.urlencoded({ extended: true }));
    app.use(twofoldExpress(world.security).middleware());
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('garbage JSON and forms with qs-style keys (`code[]`, `a[b]`, `email[toString]`) re-serialised by the adapter', () =>
    fuzz(
      'express',
      fc
        .record({
          state,
          method: postMostly,
          path: routeWithQuery,
          accept,
          csrf: csrfMode,
          wrongToken,
          payload: fc.oneof(
            garbageFields.map((fields) => ({ body: { kind: 'json', fields } as BodySpec, contentType: 'application/json' })),
            qsFormText.map((text) => ({ body: { kind: 'form', text } as BodySpec, contentType: 'application/x-www-form-urlencoded' })),
          ),
        })
        .map(({ payload, ...rest }): RequestSpec => ({ ...DEFAULTS, ...rest, ...payload }))
        // Express's parsers refuse 100 kB with their own error page: that is the application's reply, not twofold's.
        // Bytes, not characters: a body of 40,000 three-byte characters is 120 kB on the wire.
        .filter((spec) => Buffer.byteLength(spec.body.kind === 'form' ? spec.body.text : JSON.stringify(spec.body), 'utf8') < 90_000),
      { numRuns: 200, via: { transport: (request) => fetch(request), base } },
    ), 120_000);
});
