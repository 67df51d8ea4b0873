/**
 * For the HTTP fuzz (test/security/fuzz.test.ts): one app with a client in every login state, the request a
 * property describes, and a diff of the database that says what a request changed that it must not have.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { fixedClock } from '../../src/clock.js';
import type { MailMessage } from '../../src/delivery/mail.js';
import { SmsSenderBase } from '../../src/delivery/sms.js';
import { TWOFOLD_EVENT_NAMES, type TwofoldEventName } from '../../src/events.js';
import { Totp } from '../../src/otp/totp-class.js';
import { Security } from '../../src/security.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import type { TwofoldDb } from '../../src/store/kysely/tables.js';
import type { User } from '../../src/user.js';
import { codeIn, loggedInClient, PASSWORD, userWithAuthenticator, userWithPassword } from './app.js';
import { Client } from './client.js';
import { TEST_START_IN_SECONDS, TEST_TOTP_SECRETS } from './security.js';
import { AlwaysTfPlugin } from './plugins.js';

/** Seconds a password check stays fresh in the fuzz app; the stale client logged in before the clock moved past it. */
const FRESHNESS_IN_SECONDS = 120;

/** Every state a request can start from. */
export const STATE_NAMES = ['visitor', 'anonymous', 'setup', 'setupPending', 'validate', 'validateEmail', 'validateSms', 'select', 'fresh', 'stale', 'changing', 'apiToken'] as const;
export type StateName = (typeof STATE_NAMES)[number];

/** States past both factors. */
export const LOGGED_IN: readonly StateName[] = ['fresh', 'stale', 'changing', 'apiToken'];

/** The users, by the state they are in; `setup…` users must set up 2FA, `select…` has a second plugin's method. */
export const EMAILS = {
  setup: 'setup-a@fuzz.test',
  setupPending: 'setup-b@fuzz.test',
  validate: 'validate@fuzz.test',
  validateEmail: 'validate-email@fuzz.test',
  validateSms: 'validate-sms@fuzz.test',
  select: 'select@fuzz.test',
  fresh: 'fresh@fuzz.test',
  stale: 'stale@fuzz.test',
  changing: 'changing@fuzz.test',
  apiToken: 'token@fuzz.test',
} as const satisfies Partial<Record<StateName, string>>;

/** One client's standing: what it sends, and who it is. */
export interface FuzzState {
  readonly name: StateName;
  /** The `Cookie` header the client sends; null on a first visit and for the API token. */
  readonly cookie: string | null;
  /** The session's CSRF token; null when none was handed out. */
  readonly csrf: string | null;
  /** `sessions.id_hash` of the client's session. */
  readonly sessionHash: string | null;
  readonly authToken: string | null;
  readonly user: { readonly id: string; readonly email: string } | null;
  /** The `<token>` of `/tf-setup/<token>` for a logged-in change awaiting its code. */
  readonly changeToken: string | null;
  /** Logged in and within `freshness`: may regenerate recovery codes. */
  readonly fresh: boolean;
  /** A code that passes this state's second-factor check now (for logged-in states, the user's next one). */
  readonly code: string | null;
}

/** What the app did besides answering: events, messages sent, errors reported to `onError`. */
export interface Recorder {
  readonly events: TwofoldEventName[];
  readonly sent: SentMessage[];
  readonly errors: unknown[];
}

/** A mail or SMS the app sent; `notice` for the security notices of events (they never hold a code). */
export interface SentMessage {
  readonly kind: 'code' | 'notice';
  readonly text: string;
}

/** The app, its states, and what no reply may ever contain. */
export interface FuzzWorld {
  readonly security: Security;
  readonly db: Kysely<TwofoldDb>;
  readonly states: Readonly<Record<StateName, FuzzState>>;
  /** Every code that would pass a second-factor check now; a fuzz case holding one is skipped. */
  readonly rightCodes: ReadonlySet<string>;
  /** The validate user's recovery codes (plain). */
  readonly recoveryCodes: readonly string[];
  /** Strings no reply may contain: the password, TOTP secrets, hashes, codes, session ids. */
  readonly secrets: readonly string[];
  readonly recorder: Recorder;
  /** The database as the states left it; restored after every case that changed it. */
  readonly baseline: DbSnapshot;
}


class RecordingSmsSender extends SmsSenderBase {
  constructor(private readonly sent: SentMessage[]) {
    super();
  }
  async sendSms(_from: string, _to: string, message: string): Promise<void> {
    this.sent.push({ kind: 'code', text: message });
  }
}

const NOTICE_SUBJECT = 'twofold fuzz: notice';


function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function stateOf(name: StateName, client: Client | null, user: User | null, extra: Partial<FuzzState> = {}): FuzzState {
  const session = client?.cookies.get('twofold_session') ?? null;
  const cookie = client === null || client.cookies.size === 0 ? null : [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    name,
    cookie,
    csrf: client?.csrf ?? null,
    sessionHash: session === null ? null : sha256(session),
    authToken: null,
    user: user === null ? null : { id: user.id, email: user.email },
    changeToken: null,
    fresh: false,
    code: null,
    ...extra,
  };
}

/** Builds the app on `datastore` and brings one client into each state. */
export async function buildWorld(datastore: KyselyDatastore): Promise<FuzzWorld> {
  const recorder: Recorder = { events: [], sent: [], errors: [] };
  const clock = fixedClock(TEST_START_IN_SECONDS + 0.25);
  const mailer = { send: async (message: MailMessage) => void recorder.sent.push({ kind: message.subject === NOTICE_SUBJECT ? 'notice' : 'code', text: message.text }) };
  const security = new Security(
    {
      totpSecrets: TEST_TOTP_SECRETS,
      totpIssuer: 'twofold fuzz',
      twoFactorEnabledMethods: ['authenticator', 'email', 'sms'],
      twoFactorRequired: (user: User) => user.email.startsWith('setup'),
      twoFactorRescueEmail: true,
      twoFactorAlwaysValidate: false,
      freshness: FRESHNESS_IN_SECONDS,
      freshnessGracePeriod: 0,
      emailSubjectTwoFactorNotice: NOTICE_SUBJECT,
    },
    datastore,
    { clock, mailer, smsSender: new RecordingSmsSender(recorder.sent), onError: (error) => void recorder.errors.push(error) },
  );
  security.plugins.registerPlugin('always', new AlwaysTfPlugin());
  for (const name of TWOFOLD_EVENT_NAMES) security.events.on(name, () => void recorder.events.push(name));

  const totps: Totp[] = [];
  const passwordStep = async (email: string) => {
    const client = new Client(security);
    await client.get('/login');
    const reply = await client.post('/login', { email, password: PASSWORD });
    if (reply.status !== 200) throw new Error(`login of ${email}: ${reply.text}`);
    return { client, reply };
  };
  const authenticatorUser = async (email: string) => {
    const made = await userWithAuthenticator(security, email);
    totps.push(made.phone);
    return made;
  };
  const loggedIn = async (email: string, remember = false) => {
    const { user, phone } = await authenticatorUser(email);
    const client = await loggedInClient(security, clock, email, { phone, remember });
    return { client, user, phone };
  };
  const lastSent = () => codeIn(recorder.sent.filter((message) => message.kind === 'code').at(-1)?.text ?? '');

  // The stale client logs in first; then the clock moves past `freshness` (every other state is made after).
  const stale = await loggedIn(EMAILS.stale);
  clock.advance(FRESHNESS_IN_SECONDS + 60);

  const anonymous = new Client(security);
  await anonymous.get('/login');
  const setupUser = await userWithPassword(security, EMAILS.setup);
  const setup = await passwordStep(EMAILS.setup);
  const setupPendingUser = await userWithPassword(security, EMAILS.setupPending);
  const setupPending = await passwordStep(EMAILS.setupPending);
  const pendingReply = await setupPending.client.post('/tf-setup', { setup: 'authenticator' });
  const pendingTotp = new Totp(String(pendingReply.json.tf_authr_b32key));
  totps.push(pendingTotp);

  const { user: validateUser, phone: validatePhone } = await authenticatorUser(EMAILS.validate);
  const recoveryCodes = await security.recoveryCodes.generateCodes(validateUser);
  const validate = await passwordStep(EMAILS.validate);
  const emailUser = await userWithPassword(security, EMAILS.validateEmail);
  await security.datastore.setTwoFactor(emailUser.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
  const validateEmail = await passwordStep(EMAILS.validateEmail);
  const emailCode = lastSent();
  const smsUser = await userWithPassword(security, EMAILS.validateSms);
  await security.datastore.setTwoFactor(smsUser.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505550100', lastStep: null });
  const validateSms = await passwordStep(EMAILS.validateSms);
  const smsCode = lastSent();
  const { user: selectUser, phone: selectPhone } = await authenticatorUser(EMAILS.select);
  const select = await passwordStep(EMAILS.select);

  const fresh = await loggedIn(EMAILS.fresh, true);
  const changing = await loggedIn(EMAILS.changing);
  const change = await changing.client.post('/tf-setup', { setup: 'authenticator' });
  totps.push(new Totp(String(change.json.tf_authr_b32key)));
  const token = await authenticatorUser(EMAILS.apiToken);
  const tokenClient = new Client(security);
  await tokenClient.get('/login');
  await tokenClient.post('/login', { email: EMAILS.apiToken, password: PASSWORD });
  const issued = await tokenClient.post('/tf-validate?include_auth_token', { code: token.phone.generatePassword(clock.nowInSeconds()) });
  const authToken = (issued.json.user as { authentication_token: string }).authentication_token;

  const now = clock.nowInSeconds();
  const next = (totp: Totp) => totp.generatePassword(now + 30);
  const states: Record<StateName, FuzzState> = {
    visitor: stateOf('visitor', null, null),
    anonymous: stateOf('anonymous', anonymous, null),
    setup: stateOf('setup', setup.client, setupUser),
    setupPending: stateOf('setupPending', setupPending.client, setupPendingUser, { code: pendingTotp.generatePassword(now) }),
    validate: stateOf('validate', validate.client, validateUser, { code: validatePhone.generatePassword(now) }),
    validateEmail: stateOf('validateEmail', validateEmail.client, emailUser, { code: emailCode }),
    validateSms: stateOf('validateSms', validateSms.client, smsUser, { code: smsCode }),
    select: stateOf('select', select.client, selectUser, { code: selectPhone.generatePassword(now) }),
    fresh: stateOf('fresh', fresh.client, fresh.user, { fresh: true, code: next(fresh.phone) }),
    stale: stateOf('stale', stale.client, stale.user, { code: stale.phone.generatePassword(now) }),
    changing: stateOf('changing', changing.client, changing.user, { fresh: true, changeToken: String(change.json.tf_state_token), code: next(changing.phone) }),
    apiToken: { ...stateOf('apiToken', null, token.user), sessionHash: sha256(authToken), authToken, fresh: true, code: next(token.phone) },
  };

  const rightCodes = new Set<string>(recorder.sent.filter((message) => message.kind === 'code').map((message) => codeIn(message.text)));
  for (const totp of totps) for (let step = -2; step <= 2; step += 1) rightCodes.add(totp.generatePassword(now + step * 30));
  const baseline = await snapshotDb(datastore.db);
  const secrets = new Set<string>([PASSWORD, ...recoveryCodes, authToken]);
  for (const totp of totps) secrets.add(totp.secrets).add(totp.secrets.match(/.{1,4}/g)?.join('-') ?? totp.secrets);
  for (const client of [anonymous, setup.client, setupPending.client, validate.client, validateEmail.client, validateSms.client, select.client, fresh.client, stale.client, changing.client, tokenClient]) {
    for (const value of client.cookies.values()) secrets.add(value);
  }
  for (const row of baseline.users.values()) for (const column of ['password_hash', 'tf_totp_secret', 'fs_uniquifier']) if (typeof row[column] === 'string') secrets.add(row[column]);
  for (const table of ['recovery_codes', 'one_time_codes'] as const) for (const row of baseline[table].values()) secrets.add(String(row.code_hash));
  recorder.events.length = 0;
  recorder.sent.length = 0;
  return { security, db: datastore.db, states, rightCodes, recoveryCodes, secrets: [...secrets], recorder, baseline };
}

// ---------------------------------------------------------------------------------------------------------
// The database: snapshot, diff, restore.

const TABLES = ['users', 'recovery_codes', 'one_time_codes', 'sessions', 'trusted_devices'] as const;
type TableName = (typeof TABLES)[number];
type Row = Readonly<Record<string, unknown>>;
const PRIMARY_KEYS: Readonly<Record<TableName, string>> = { users: 'id', recovery_codes: 'id', one_time_codes: 'id', sessions: 'id_hash', trusted_devices: 'id_hash' };

/** Every row of every twofold table, by primary key. */
export type DbSnapshot = { readonly [T in TableName]: ReadonlyMap<string, Row> };

export async function snapshotDb(db: Kysely<TwofoldDb>): Promise<DbSnapshot> {
  const tables = await Promise.all(
    TABLES.map(async (table) => {
      const { rows } = await sql<Row>`select * from ${sql.table(table)}`.execute(db);
      return new Map(rows.map((row) => [String(row[PRIMARY_KEYS[table]]), row]));
    }),
  );
  const [users, recovery_codes, one_time_codes, sessions, trusted_devices] = tables as [Map<string, Row>, Map<string, Row>, Map<string, Row>, Map<string, Row>, Map<string, Row>];
  return { users, recovery_codes, one_time_codes, sessions, trusted_devices };
}

function sameRow(a: Row | undefined, b: Row | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

function sameTable(a: ReadonlyMap<string, Row>, b: ReadonlyMap<string, Row>): boolean {
  return a.size === b.size && [...a].every(([key, row]) => sameRow(row, b.get(key)));
}

/** Puts the database back as `snapshot` was; users are updated in place, since deleting them would cascade. */
export async function restoreDb(db: Kysely<TwofoldDb>, snapshot: DbSnapshot, current: DbSnapshot): Promise<void> {
  for (const table of TABLES) {
    if (table === 'users' || sameTable(snapshot[table], current[table])) continue;
    await sql`delete from ${sql.table(table)}`.execute(db);
    for (const row of snapshot[table].values()) {
      const columns = Object.keys(row);
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(columns.map((c) => row[c]))})`.execute(db);
    }
  }
  for (const [id, row] of snapshot.users) {
    if (sameRow(row, current.users.get(id))) continue;
    const assignments = Object.keys(row).filter((c) => c !== 'id').map((c) => sql`${sql.ref(c)} = ${row[c]}`);
    await sql`update ${sql.table('users')} set ${sql.join(assignments)} where id = ${id}`.execute(db);
  }
}

/** What a request may change: everything not allowed here must stay exactly as it was. */
export interface Allowance {
  /** The session the request carried: it may lose its login or change state, get flashes, or be deleted. */
  readonly ownSessionHash: string | null;
  /** A new anonymous, stateless session may appear (a reply that hands out a CSRF token stores one). */
  readonly newAnonymousSession: boolean;
  /** This user's failure counter may count one wrong code (and lock the account). */
  readonly failureOf: string | null;
  /** This user's live e-mail/SMS code may count one attempt. */
  readonly codeAttemptOf: string | null;
  /** This user's recovery codes may be replaced by a new set. */
  readonly recoveryCodesOf: string | null;
  /** This user's remembered browsers may be forgotten (deleted, not changed), and the request's cookie cleared. */
  readonly trustedDevicesOf: string | null;
}

export const NOTHING: Allowance = { ownSessionHash: null, newAnonymousSession: false, failureOf: null, codeAttemptOf: null, recoveryCodesOf: null, trustedDevicesOf: null };

interface SessionView {
  readonly csrf: unknown;
  readonly login: string;
  readonly change: string;
  readonly tfVerified: unknown;
}

function sessionView(row: Row): SessionView {
  const data = JSON.parse(String(row.data)) as Record<string, unknown>;
  // The session's one two-factor state, seen as the login and the change it may hold.
  const tf = (data.tf ?? {}) as { kind?: string; login?: unknown; change?: unknown };
  const login = tf.kind === 'login' ? tf.login : null;
  const change = tf.kind === 'change' ? tf.change : null;
  return { csrf: data.csrf, login: JSON.stringify(login ?? null), change: JSON.stringify(change ?? null), tfVerified: data.tfVerified };
}

function changedColumns(a: Row, b: Row): string[] {
  return Object.keys(a).filter((key) => !Object.is(a[key], b[key]));
}

/** What changed between `before` and `after` beyond `allowance`, one line each; empty when nothing did. */
export function dbViolations(before: DbSnapshot, after: DbSnapshot, allowance: Allowance): string[] {
  const out: string[] = [];
  for (const [id, row] of before.users) {
    const now = after.users.get(id);
    if (now === undefined) {
      out.push(`users: ${id} deleted`);
      continue;
    }
    for (const column of changedColumns(row, now)) {
      const counted = id === allowance.failureOf && column === 'tf_failed_attempts' && now[column] === Number(row[column]) + 1;
      const locked = id === allowance.failureOf && column === 'tf_locked_until' && row[column] === null && now.tf_failed_attempts !== row.tf_failed_attempts;
      if (!counted && !locked) out.push(`users: ${String(row.email)}.${column} ${String(row[column])} → ${String(now[column])}`);
    }
  }
  if (after.users.size !== before.users.size) out.push('users: a user was added');
  for (const [id, row] of before.one_time_codes) {
    const now = after.one_time_codes.get(id);
    if (now === undefined) out.push(`one_time_codes: ${id} deleted`);
    else {
      for (const column of changedColumns(row, now)) {
        if (!(column === 'attempts' && row.user_id === allowance.codeAttemptOf && now[column] === Number(row[column]) + 1)) out.push(`one_time_codes: ${column} changed`);
      }
    }
  }
  if ([...after.one_time_codes.keys()].some((id) => !before.one_time_codes.has(id))) out.push('one_time_codes: a code was issued');
  const others = (table: ReadonlyMap<string, Row>) => new Map([...table].filter(([, row]) => row.user_id !== allowance.recoveryCodesOf));
  if (!sameTable(others(before.recovery_codes), others(after.recovery_codes))) out.push('recovery_codes: changed');
  if (!sameTable(before.trusted_devices, after.trusted_devices)) {
    // The allowed user's devices may only go; every other row stays exactly as it was.
    const kept = new Map([...before.trusted_devices].filter(([id, row]) => row.user_id !== allowance.trustedDevicesOf || after.trusted_devices.has(id)));
    if (!sameTable(kept, after.trusted_devices)) out.push('trusted_devices: changed');
  }
  out.push(...sessionViolations(before.sessions, after.sessions, allowance));
  return out;
}

function sessionViolations(before: ReadonlyMap<string, Row>, after: ReadonlyMap<string, Row>, allowance: Allowance): string[] {
  const out: string[] = [];
  for (const [hash, row] of before) {
    const now = after.get(hash);
    if (hash !== allowance.ownSessionHash) {
      if (!sameRow(row, now)) out.push(`sessions: another client's session ${now === undefined ? 'deleted' : 'changed'}`);
      continue;
    }
    if (now === undefined) continue;
    for (const column of ['kind', 'user_id', 'fs_uniquifier', 'authenticated_at', 'created_at']) {
      if (!Object.is(row[column], now[column])) out.push(`sessions: own ${column} ${String(row[column])} → ${String(now[column])}`);
    }
    const [was, is] = [sessionView(row), sessionView(now)];
    if (was.csrf !== is.csrf) out.push('sessions: own CSRF token changed');
    if (was.tfVerified !== is.tfVerified) out.push('sessions: own tfVerified changed');
    if (is.login !== was.login && is.login !== 'null') out.push(`sessions: login advanced ${was.login} → ${is.login}`);
    if (is.change !== was.change && is.change !== 'null') out.push(`sessions: change advanced ${was.change} → ${is.change}`);
  }
  const added = [...after].filter(([hash]) => !before.has(hash));
  if (added.length > (allowance.newAnonymousSession ? 1 : 0)) out.push(`sessions: ${added.length} new`);
  for (const [, row] of added) {
    const view = sessionView(row);
    if (row.user_id !== null || row.kind !== 'browser' || view.login !== 'null' || view.change !== 'null' || view.tfVerified !== false) {
      out.push(`sessions: a new session that is not empty and anonymous: ${String(row.kind)} user=${String(row.user_id)} ${String(row.data)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Requests: what a property describes, and the Request it becomes.

/** How a request carries the CSRF token; `field` sends it in the header too, so it is right whichever is read. */
export type CsrfMode = 'header' | 'field' | 'missing' | 'wrong-header' | 'foreign-header' | 'wrong-field' | 'typed-field';
/** The state's cookies, none, the state's with junk before or after (the first of two names wins), or only junk. */
export type CookieMode = 'state' | 'none' | 'junk-before' | 'junk-after' | 'junk-only';

export interface MultipartPart {
  readonly name: string;
  readonly value: string;
  readonly filename: string | null;
}

export type BodySpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'form'; readonly text: string }
  | { readonly kind: 'multipart'; readonly boundary: string; readonly parts: readonly MultipartPart[]; readonly ending: 'close' | 'none' | 'garbage' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'stream'; readonly chunkBytes: number; readonly chunks: number; readonly fails: boolean };

export interface RequestSpec {
  readonly state: StateName;
  readonly method: string;
  /** Path and query; `{TOKEN}` becomes the state's change token, or one it was never given. */
  readonly path: string;
  readonly contentType: string | null;
  readonly accept: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookie: CookieMode;
  readonly cookieJunk: string;
  /** Over HTTPS the session cookie is `__Host-twofold_session`, so the state's plain cookie is not read. */
  readonly secure?: boolean;
  readonly csrf: CsrfMode;
  readonly wrongToken: string;
  readonly body: BodySpec;
}

/** Every twofold URL; `/tf-setup/{TOKEN}` is the change-confirmation URL. */
export const ROUTES = ['/login', '/logout', '/verify', '/tf-setup', '/tf-setup/{TOKEN}', '/tf-validate', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery'] as const;
export type Route = (typeof ROUTES)[number];

const NOT_GIVEN_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function pathOf(spec: RequestSpec, world: FuzzWorld): string {
  return spec.path.replaceAll('{TOKEN}', world.states[spec.state].changeToken ?? NOT_GIVEN_TOKEN);
}

/** The route the handler serves for `path` (as `new URL` reads it), or null when the URL is not twofold's. */
export function routeOf(path: string): Route | null {
  const { pathname } = new URL(`http://localhost${path}`);
  if (pathname.startsWith('/tf-setup/')) return /^[A-Za-z0-9_-]{1,64}$/.test(pathname.slice('/tf-setup/'.length)) ? '/tf-setup/{TOKEN}' : null;
  return (ROUTES as readonly string[]).includes(pathname) ? (pathname as Route) : null;
}

/** Percent-encodes the UTF-8 of `text` (a lone surrogate becomes U+FFFD), leaving only unreserved characters. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function multipartText(body: Extract<BodySpec, { kind: 'multipart' }>, extra: readonly MultipartPart[]): string {
  const parts = [...extra, ...body.parts].map((part) => {
    const file = part.filename === null ? '' : `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    return `--${body.boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n${part.value}\r\n`;
  });
  const end = body.ending === 'close' ? `--${body.boundary}--\r\n` : body.ending === 'garbage' ? `--${body.boundary}x` : '';
  return parts.join('') + end;
}

/** The body as sent, with `field` as `csrf_token` where the body has fields; and its text, when it has one. */
function bodyInit(body: BodySpec, field: unknown): { init: RequestInit['body']; bytes: number; text: string | null } {
  const text = (value: string) => ({ init: value, bytes: Buffer.byteLength(value), text: value });
  switch (body.kind) {
    case 'none':
      return { init: null, bytes: 0, text: '' };
    case 'json': {
      // Onto a null prototype, so a generated `__proto__` key stays a key.
      const object = Object.assign(Object.create(null) as Record<string, unknown>, body.fields);
      if (field !== undefined) object.csrf_token = field;
      return text(JSON.stringify(object));
    }
    case 'form':
      return text(field === undefined ? body.text : `csrf_token=${percentEncode(String(field))}&${body.text}`);
    case 'multipart':
      return text(multipartText(body, field === undefined ? [] : [{ name: 'csrf_token', value: String(field), filename: null }]));
    case 'text':
      return text(body.text);
    case 'bytes':
      return { init: body.bytes, bytes: body.bytes.length, text: null };
    case 'stream': {
      const chunk = new Uint8Array(body.chunkBytes).fill(0x61);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < body.chunks; i += 1) controller.enqueue(chunk);
          if (body.fails) controller.error(new Error('client went away'));
          else controller.close();
        },
      });
      return { init: stream, bytes: body.chunkBytes * body.chunks, text: null };
    }
  }
}

/** Another state whose CSRF token is real, but not this state's. */
function foreignState(name: StateName): StateName {
  return name === 'validate' ? 'anonymous' : 'validate';
}

/** The Request `spec` describes, the size of its body in bytes, and its path and body as text (for leak checks). */
export function buildRequest(spec: RequestSpec, world: FuzzWorld, base = 'localhost'): { request: Request; bodyBytes: number; text: string } {
  const state = world.states[spec.state];
  const headers = new Headers(spec.headers);
  if (spec.accept !== null) headers.set('accept', spec.accept);
  if (spec.contentType !== null) headers.set('content-type', spec.contentType);
  if (state.authToken !== null && !headers.has('authentication-token')) headers.set('authentication-token', state.authToken);
  const own = spec.cookie === 'none' || spec.cookie === 'junk-only' ? null : state.cookie;
  const cookies = [spec.cookie === 'junk-before' || spec.cookie === 'junk-only' ? spec.cookieJunk : null, own, spec.cookie === 'junk-after' ? spec.cookieJunk : null];
  const cookie = cookies.filter((part): part is string => part !== null).join('; ');
  if (cookie !== '') headers.set('cookie', cookie);

  const right = state.csrf ?? 'a-token-this-session-was-never-given';
  let field: unknown;
  if (spec.csrf === 'header' || spec.csrf === 'field' || spec.csrf === 'wrong-field' || spec.csrf === 'typed-field') headers.set('x-csrf-token', right);
  if (spec.csrf === 'wrong-header') headers.set('x-csrf-token', spec.wrongToken);
  if (spec.csrf === 'foreign-header') headers.set('x-csrf-token', world.states[foreignState(spec.state)].csrf ?? spec.wrongToken);
  if (spec.csrf === 'field') field = right;
  if (spec.csrf === 'wrong-field') field = spec.wrongToken;
  if (spec.csrf === 'typed-field') field = [12345, true, [right], { token: right }][spec.wrongToken.length % 4];

  const method = spec.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? { init: null, bytes: 0, text: '' } : bodyInit(spec.body, field);
  const path = pathOf(spec, world);
  const init: RequestInit = { method: spec.method, headers, body: body.init, duplex: 'half', redirect: 'manual' };
  const origin = `${spec.secure === true ? 'https' : 'http'}://${base}`;
  // The request as text, also decoded as a form or query is, so a reply echoing what was sent is recognised.
  const sent = `${path}\n${body.text ?? ''}`;
  const decoded = [...new URLSearchParams(sent.replace(/[?\n]/g, '&'))].flat().join('\n');
  return { request: new Request(`${origin}${path}`, init), bodyBytes: body.bytes, text: `${sent}\n${decoded}` };
}

/** Whether the request's CSRF token is the session's (`right`), surely not (`wrong`), or that depends on parsing. */
export function csrfVerdict(spec: RequestSpec, world: FuzzWorld): 'right' | 'wrong' | 'exempt' | 'unknown' {
  const state = world.states[spec.state];
  if (spec.cookie !== 'state' || spec.secure === true || 'authentication-token' in spec.headers) return 'unknown';
  if (state.authToken !== null) return 'exempt';
  if (spec.csrf === 'wrong-field' || spec.csrf === 'typed-field') return 'unknown';
  return state.csrf !== null && (spec.csrf === 'header' || spec.csrf === 'field') ? 'right' : 'wrong';
}

// ---------------------------------------------------------------------------------------------------------
// Running one case.

/** How the handler answered: a reply, `null` (not twofold's URL), an exception, or nothing in time. */
export type Outcome =
  | { readonly kind: 'reply'; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly kind: 'not-ours' }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout' };

/**
 * Every reply must arrive (body included) within this. A hang never answers; the margin is for a loaded CI
 * machine running the other test files beside this one on two cores.
 */
export const REPLY_TIMEOUT_IN_MS = 15_000;

/** How a request reaches twofold: `security.handle` itself, or an application in front of it. */
export type Transport = (request: Request) => Promise<Response | null>;

async function send(transport: Transport, request: Request): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), REPLY_TIMEOUT_IN_MS);
  });
  const answer = (async (): Promise<Outcome> => {
    try {
      const response = await transport(request);
      if (response === null) return { kind: 'not-ours' };
      return { kind: 'reply', status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      return { kind: 'threw', error };
    }
  })();
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One case's result: the answer, the size of the body sent, and every rule it broke. */
export interface CaseResult {
  readonly outcome: Outcome;
  readonly bodyBytes: number;
  readonly violations: readonly string[];
}

/** What a request may change, from where it goes and who sends it. */
export function allowanceFor(spec: RequestSpec, world: FuzzWorld): Allowance {
  const state = world.states[spec.state];
  const route = routeOf(pathOf(spec, world));
  const post = spec.method.toUpperCase() === 'POST';
  const userId = state.user?.id ?? null;
  const codeRoute = post && (route === '/tf-validate' || route === '/mf-recovery' || route === '/tf-setup/{TOKEN}');
  return {
    ownSessionHash: state.sessionHash,
    newAnonymousSession: true,
    failureOf: codeRoute ? userId : null,
    codeAttemptOf: codeRoute ? userId : null,
    recoveryCodesOf: post && route === '/mf-recovery-codes' && state.fresh ? userId : null,
    trustedDevicesOf: post && route === '/tf-devices' && state.fresh ? userId : null,
  };
}

/** Sends `spec`, checks the reply and the database against `allowance`, and puts the database back. */
export async function runCase(
  world: FuzzWorld,
  spec: RequestSpec,
  allowance: Allowance = allowanceFor(spec, world),
  via: { readonly transport: Transport; readonly base: string } = { transport: (request) => world.security.handle(request), base: 'localhost' },
): Promise<CaseResult> {
  const { recorder } = world;
  recorder.events.length = 0;
  recorder.sent.length = 0;
  recorder.errors.length = 0;
  const { request, bodyBytes, text } = buildRequest(spec, world, via.base);
  const outcome = await send(via.transport, request);
  const after = await snapshotDb(world.db);
  const violations = [...replyViolations(world, spec, outcome, text, allowance), ...dbViolations(world.baseline, after, allowance)];
  const allowedEvents = new Set<TwofoldEventName>(allowance.failureOf === null ? [] : ['userFailedAuthn', 'tfLockedOut', 'tfCodeReplayed']);
  if (allowance.recoveryCodesOf !== null) allowedEvents.add('mfRecoveryCodesGenerated');
  if (allowance.trustedDevicesOf !== null) allowedEvents.add('tfDeviceRevoked');
  for (const event of recorder.events) if (!allowedEvents.has(event)) violations.push(`event ${event}`);
  // A code is never sent for garbage; a notice only of an event this case may cause (a lockout, new recovery codes).
  for (const message of recorder.sent) {
    if (message.kind === 'code' || recorder.events.length === 0) violations.push(`${message.kind} sent: ${message.text.slice(0, 80)}`);
    for (const secret of world.secrets) if (message.text.includes(secret)) violations.push(`a notice contains a secret (${secret.slice(0, 4)}…)`);
  }
  for (const error of recorder.errors) violations.push(`onError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await restoreDb(world.db, world.baseline, after);
  return { outcome, bodyBytes, violations };
}

// A stack frame ("at f (/x/y.ts:1:2)", "at node:internal/…") or an error's name and message.
const STACK_TRACE = [/\bat\s+(?:async\s+)?\S*\s*\(?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+/, /\b[A-Z][A-Za-z]*Error: /, /\.(?:ts|js|mjs|cjs):\d+:\d+/, /node_modules|\/work\//];
const XSS_MARKERS = ['<script', '<img src=x', 'javascript:alert'];
const SESSION_COOKIES = new Set(['twofold_session', '__Host-twofold_session']);
const BEFORE_SECOND_FACTOR = new Set<StateName>(STATE_NAMES.filter((name) => !LOGGED_IN.includes(name)));

/** `isSafeRedirectPath`'s rules without its length cap: a redirect may carry a long (encoded) `next` of its own. */
function isLocalPath(location: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what a local path may not hold
  const local = location.startsWith('/') && !location.includes('//') && !/[\\\u0000-\u001F\u007F-\u009F]/.test(location) && !/^\/%(2f|5c)/i.test(location);
  return local && new URL(location, 'https://twofold.invalid').origin === 'https://twofold.invalid';
}

/** A `Set-Cookie` that only removes the remembered-browser cookie: empty, expiring now. */
const CLEARED_DEVICE_COOKIE = /^(?:__Host-)?tf_validity=; Path=\/; Max-Age=0; HttpOnly; (?:Secure; )?SameSite=(?:Strict|Lax)$/;

function replyViolations(world: FuzzWorld, spec: RequestSpec, outcome: Outcome, sentText: string, allowance: Allowance): string[] {
  const route = routeOf(pathOf(spec, world));
  if (outcome.kind === 'timeout') return [`no reply within ${REPLY_TIMEOUT_IN_MS} ms`];
  if (outcome.kind === 'threw') return [`handle() threw: ${outcome.error instanceof Error ? (outcome.error.stack ?? outcome.error.message) : String(outcome.error)}`];
  if (outcome.kind === 'not-ours') return route === null ? [] : [`null for ${route}`];
  const out: string[] = [];
  const { status, headers, text } = outcome;
  if (status >= 500) out.push(`status ${status}: ${text.slice(0, 300)}`);
  const head = [...headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  const css = (headers.get('content-type') ?? '').startsWith('text/css');
  if (!css && headers.get('cache-control') !== 'no-store') out.push(`cache-control ${String(headers.get('cache-control'))}`);
  const all = `${head}\n\n${text}`;
  for (const secret of world.secrets) if (all.includes(secret)) out.push(`reply contains a secret (${secret.slice(0, 4)}…)`);
  if (!css) for (const code of world.rightCodes) if (new RegExp(`(?<![A-Za-z0-9_-])${code}(?![A-Za-z0-9_-])`).test(all)) out.push(`reply contains the code ${code}`);
  for (const pattern of STACK_TRACE) if (pattern.test(all)) out.push(`reply looks like a stack trace (${pattern.source}): ${all.match(pattern)?.[0] ?? ''}`);
  const location = headers.get('location');
  if (location !== null && !isLocalPath(location)) out.push(`Location ${JSON.stringify(location.slice(0, 300))} is not a local path`);
  for (const cookie of headers.getSetCookie()) {
    if (SESSION_COOKIES.has(cookie.slice(0, cookie.indexOf('=')))) continue;
    if (allowance.trustedDevicesOf === null || !CLEARED_DEVICE_COOKIE.test(cookie)) out.push(`Set-Cookie ${cookie.slice(0, 40)}`);
  }
  const self = world.states[spec.state].user?.email;
  for (const email of Object.values(EMAILS)) if (email !== self && all.includes(email) && !sentText.includes(email)) out.push(`reply names another user, ${email}`);
  const type = headers.get('content-type') ?? '';
  if (type.startsWith('text/html')) {
    if (headers.get('content-security-policy') === null) out.push('an HTML page without a Content-Security-Policy');
    // The pages carry no markup from the request: every reflected value is escaped.
    for (const marker of XSS_MARKERS) if (text.toLowerCase().includes(marker)) out.push(`reflected markup ${marker}`);
  }
  if (BEFORE_SECOND_FACTOR.has(spec.state) && text.includes('authentication_token')) out.push('an authentication token before the second factor');
  if (type.includes('json') && text !== '') {
    try {
      const parsed = JSON.parse(text) as { meta?: { code?: unknown }; response?: Record<string, unknown> };
      if (parsed.meta?.code !== status) out.push(`JSON meta.code ${String(parsed.meta?.code)} for status ${status}`);
      if (BEFORE_SECOND_FACTOR.has(spec.state) && parsed.response !== undefined && 'user' in parsed.response) out.push('JSON `user` before the second factor');
    } catch {
      out.push(`a JSON content type over a body that is not JSON: ${text.slice(0, 100)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Garbage that is not garbage: a case that could legitimately take a step is skipped (fc.pre).

/** Values of `setup`, `which` and `help_setup` that some state accepts. */
const CHOICES = new Set(['disable', 'authenticator', 'email', 'mail', 'sms', 'help', 'recovery_code', 'always']);

/** Every value a field could take in the body, read every way the server might (JSON, form, multipart). */
function fieldValues(body: BodySpec): Map<string, unknown[]> {
  const values = new Map<string, unknown[]>();
  const add = (name: string, value: unknown) => values.set(name, [...(values.get(name) ?? []), value]);
  const fromText = (text: string) => {
    for (const [name, value] of new URLSearchParams(text)) add(name, value);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) for (const [name, value] of Object.entries(parsed)) add(name, value);
    } catch {
      // not JSON: read as a form only
    }
  };
  if (body.kind === 'json') for (const [name, value] of Object.entries(body.fields)) add(name, value);
  if (body.kind === 'form' || body.kind === 'text') fromText(body.text);
  if (body.kind === 'bytes') fromText(new TextDecoder().decode(body.bytes));
  if (body.kind === 'multipart') for (const part of body.parts) add(part.name, part.value);
  return values;
}

function isRightCode(world: FuzzWorld, value: unknown): boolean {
  const digits = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? String(value).padStart(6, '0') : '') : typeof value === 'string' ? value.replace(/\s/g, '') : '';
  return world.rightCodes.has(digits);
}

/** Whether `spec` could take a real step: a right code, the password, or a choice some state offers. */
export function mayAdvance(world: FuzzWorld, spec: RequestSpec): boolean {
  const values = fieldValues(spec.body);
  const any = (name: string, test: (value: unknown) => boolean) => (values.get(name) ?? []).some(test);
  if (any('code', (value) => isRightCode(world, value) || (typeof value === 'string' && world.recoveryCodes.includes(value.trim())))) return true;
  if (any('password', (value) => value === PASSWORD)) return true;
  // Forgetting every remembered browser is a real step too (a device id cannot be guessed).
  if (any('revoke', (value) => typeof value === 'string' && value.trim().toLowerCase() === 'all')) return true;
  return ['setup', 'which', 'help_setup'].some((name) => any(name, (value) => typeof value === 'string' && CHOICES.has(value.trim())));
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries.

/** Every field name a twofold form reads. */
export const FIELDS = ['email', 'password', 'remember', 'next', 'code', 'setup', 'phone', 'help_setup', 'which', 'show_codes', 'generate_new_codes', 'revoke', 'submit'] as const;

/** Latin-1 text without controls: what a header value may hold. */
export const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** Any UTF-16 code units, lone surrogates included. */
export const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 24 });

const SPECIAL = [
  '', ' ', '\u0000', '\uD800', '\uDC00', '\uDBFF\uDBFF', 'a\uD83D', '\u202E', '\u200F', '\u200B', '\uFEFF', '\u2028', '\r\n', '\t', 'e\u0301', '\u{1D54F}', '\u{1F642}',
  '\u0967\u0968\u0969\u096A\u096B\u096C', '\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16', '\u0661\u0662\u0663\u0664\u0665\u0666', '12 34 56', '123456\u0000', '-123456', '+123456', '1e5', '0x1E240',
  '12345678901234567890', 'NaN', 'null', 'true', '[]', '{}', '__proto__', 'constructor', 'toString', '%00', '%s%n', '../../etc/passwd', '<script>alert(1)</script>', '"><img src=x>', "' OR 1=1 --",
  '"><img src=x>@fuzz.test', '<script>alert(1)</script>@fuzz.test', '/"><img src=x>', '${jndi:ldap://x}', '{{7*7}}', 'javascript:alert(1)', '//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', 'AUTHENTICATOR', 'disable\u0000', 'sms\u200B', 'e-mail', 'Email',
  'recovery-code', 'lost_device', 'no_mail_access', 'webauthn', 'AAAAA-BBBBB-CCCCC', '+16505550100', '+1 650 555 0100', '911', '+999999999999999999', 'nobody@fuzz.test', 'VALIDATE@FUZZ.TEST',
  ...Object.values(EMAILS), `${PASSWORD} `, PASSWORD.toUpperCase(),
];
const long = fc
  .tuple(fc.constantFrom(63, 64, 65, 253, 254, 255, 2047, 2048, 2049, 4095, 4096, 4097, 20_000), fc.constantFrom('x', '9', ' ', '\u00E9', '\u{1F642}', '\u0000', '\uD800'))
  .map(([length, unit]) => unit.repeat(length));
const sixDigits = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));

/** Strings a form field should survive: any UTF-16, specials, boundary lengths, real-looking values, codes. */
export const weirdString = fc.oneof(utf16, fc.constantFrom(...SPECIAL), long, sixDigits, fc.string({ maxLength: 16 }));
const scalar = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(2 ** 53, -1, 1e308, -0, 0.5, 123_456, 1e6, Number.MAX_SAFE_INTEGER + 2),
);
/** A field name: mostly real ones, some odd ones, never `csrf_token` (the CSRF mode decides that one). */
export const fieldName = fc
  .oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'CODE', 'code ', 'csrf-token'), fc.string({ maxLength: 12 }))
  .filter((name) => name !== 'csrf_token');
/** A value of the wrong type, or the right type with odd content. */
export const weirdValue = fc.oneof({ weight: 5, arbitrary: scalar }, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fieldName, scalar, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 3 }));
/** A JSON object whose keys are mostly real field names. */
export const garbageFields = fc.dictionary(fieldName, weirdValue, { maxKeys: 8 });

const ENCODINGS = ['standard', 'raw', 'plus', 'double', 'broken', 'overlong', 'latin1'] as const;
function encodeFormPart(text: string, how: (typeof ENCODINGS)[number]): string {
  switch (how) {
    case 'standard':
      return percentEncode(text);
    case 'raw':
      return text;
    case 'plus':
      return percentEncode(text).replace(/%20/g, '+');
    case 'double':
      return percentEncode(percentEncode(text));
    case 'broken':
      return `${percentEncode(text)}%${text.length % 2 === 0 ? 'ZZ' : ''}%E2%82`;
    case 'overlong':
      return `%C0%AF${percentEncode(text)}%E0%80%80`;
    case 'latin1':
      return [...text].map((ch) => ((ch.codePointAt(0) ?? 0) < 256 ? `%${(ch.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}` : percentEncode(ch))).join('');
  }
}

/** An urlencoded body: repeated keys, odd separators and broken or overlong percent-encodings. */
export const formText = fc
  .tuple(fc.array(fc.tuple(fieldName, weirdString, fc.constantFrom(...ENCODINGS)), { maxLength: 10 }), fc.constantFrom('&', '&&', ';', '&amp;', '\n'), fc.constantFrom('', '&', '=', '&=&', '%', '&code', 'code=1&code=2'))
  .map(([pairs, separator, tail]) => pairs.map(([name, value, how]) => `${encodeFormPart(name, how)}=${encodeFormPart(value, how)}`).join(separator) + tail);

/** A form with keys as `qs` (Express's `extended` urlencoded parser) nests them: `code[]`, `a[b][c]`, `email[toString]`. */
export const qsFormText = fc
  .array(
    fc.tuple(
      fc.constantFrom(...FIELDS, 'a', '__proto__', 'constructor'),
      fc.array(fc.constantFrom('[]', '[0]', '[a]', '.b', '[toString]', '[valueOf]', '[__proto__]', '[constructor]', '[hasOwnProperty]'), { maxLength: 3 }),
      weirdString,
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([name, path, value]) => `${name}${path.join('')}=${percentEncode(value)}`).join('&'));

/** A multipart body, well formed or not, with the content type that announces it (or a wrong one). */
export const multipart = fc
  .record({
    boundary: fc.constantFrom('fuzzboundary', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'a'.repeat(70), 'b'.repeat(200), "'()+_,-./:=?", 'x y'),
    parts: fc.array(fc.record({ name: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), value: weirdString, filename: fc.option(fc.constantFrom('a.txt', '../../etc/passwd', '', '\u0000.txt'), { nil: null }) }), {
      maxLength: 6,
    }),
    ending: fc.constantFrom('close', 'none', 'garbage'),
    announced: fc.constantFrom('boundary', 'quoted', 'missing', 'other'),
  })
  .map(({ boundary, parts, ending, announced }) => ({
    body: { kind: 'multipart', boundary, parts: parts.filter((part) => part.name !== 'csrf_token'), ending } as const,
    contentType: announced === 'boundary' ? `multipart/form-data; boundary=${boundary}` : announced === 'quoted' ? `multipart/form-data; boundary="${boundary}"` : announced === 'missing' ? 'multipart/form-data' : 'multipart/form-data; boundary=other',
  }));

const INVALID_JSON = [
  '{', '}', '[', '{"code": }', "{'code': '1'}", '{"code": 1,}', '[1,2', 'NaN', 'undefined', '{"a":1}{"b":2}', '\uFEFF{"code":"1"}', '{"code":"\\ud800"}', '{"code": 1e999}', '{"code": -}', '/* c */ {}',
  '{"code":"1"} // c', '\u0000', '{"a": "\\x41"}', '{"a": "\\u12"}', '{"a":"\u0000"}', '{"__proto__": {"isAdmin": true}}', '{"constructor": {"prototype": {"x": 1}}}', '{"code": 01}', '{"code": .5}',
  '{"code": +1}', '{"code": Infinity}', 'true', 'false', '0', '""', '[]', 'null', ' ', '\n\t', '{"":""}', '{"code":"1","code":{"$ne":null}}', '{"setup":["authenticator"],"which":{"0":"always"}}',
];
const truncatedJson = fc
  .jsonValue()
  .map((value) => JSON.stringify(value))
  .chain((text) => fc.nat({ max: text.length }).map((length) => text.slice(0, length)));
/** JSON text that is not an object, or not JSON at all. */
export const jsonishText = fc.oneof(
  fc.constantFrom(...INVALID_JSON),
  truncatedJson,
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  garbageFields.map((fields) => JSON.stringify(fields).replace(/"/, "'")),
);

const DEEP: Readonly<Record<string, (depth: number) => string>> = {
  array: (n) => '['.repeat(n) + ']'.repeat(n),
  object: (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
  code: (n) => `{"code":${'['.repeat(n)}"1"${']'.repeat(n)}}`,
  csrf: (n) => `{"csrf_token":${'['.repeat(n)}${']'.repeat(n)}}`,
  unclosed: (n) => '{"a":['.repeat(n),
  mixed: (n) => '[{"a":'.repeat(n) + 'null' + '}]'.repeat(n),
  form: (n) => `code${'[a]'.repeat(n)}=1&${'setup[]=x&'.repeat(Math.min(n, 5000))}`,
};
/** Nesting 1 000 to 10 000 deep, as JSON or as form keys. */
export const deepText = fc.tuple(fc.constantFrom(...Object.keys(DEEP)), fc.constantFrom(1_000, 5_000, 10_000)).map(([shape, depth]) => ({ shape, text: (DEEP[shape] as (n: number) => string)(depth) }));

/** Content types, right and wrong. */
export const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') },
  fc.constantFrom(
    null, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=utf-16', 'multipart/form-data', 'text/plain', 'application/xml', 'application/octet-stream',
    'application/json-patch+json', 'application/vnd.api+json', 'text/json', '', ';', 'application/x-www-form-urlencoded; charset=iso-8859-1', ' application/json ', 'application/json, text/html',
  ),
  latin1,
);

/** `Accept` headers: mostly JSON or a browser's, some odd. */
export const accept = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constant('text/html,application/xhtml+xml,*/*;q=0.8') },
  fc.constantFrom(null, '*/*', 'application/json;q=0', 'text/html;q=0.5, application/json', 'application/json;q=NaN', 'application/json;q=-1', 'application/*', 'image/png', 'a,'.repeat(2000), ''),
  latin1,
);

/** How the CSRF token travels; mostly right, so the views behind the check get the garbage. */
export const csrfMode = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<CsrfMode>('header', 'field') },
  { weight: 2, arbitrary: fc.constantFrom<CsrfMode>('missing', 'wrong-header', 'foreign-header', 'wrong-field', 'typed-field') },
);
export const wrongToken = fc.oneof(latin1, fc.stringMatching(/^[A-Za-z0-9_-]{32}$/), fc.constantFrom('', 'x'.repeat(129), 'null'));

/** Paths: every route, `/tf-setup/<anything>`, dot segments, encodings, case and slashes. */
export const junkPath = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROUTES) },
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).map((token) => `/tf-setup/${token}`),
  utf16.map((token) => `/tf-setup/${percentEncode(token)}`),
  fc.constantFrom(
    '/tf-setup/', '/tf-setup//x', '/tf-setup/../login', '/tf-setup/%2e%2e/login', '/tf-setup/a/b', '/tf-setup/%00', '/tf-setup/AAAA%2FBBB', `/tf-setup/${'A'.repeat(65)}`, '/TF-SETUP', '/login/', '//login',
    '/login;x', '/login%00', '/./login', '/login/..', '/%6Cogin', '/login#frag', '/tf-setup/{TOKEN}/x', '/tf-setup/{TOKEN}%00', '/static/twofold.css', '/static/../login', '/', '/favicon.ico',
    `/${'a'.repeat(5000)}`, '/tf-setup\\x', '/mf-recovery-codes/', '/tf-devices/', '/tf-validate\u0000', '/tf-validate\u202E', '/tf-setup/{TOKEN}{TOKEN}',
  ),
);

/** Query strings: `next` in every hostile form, flags, repeats, broken escapes. */
export const junkQuery = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  fc.constantFrom(
    '?include_auth_token', '?show_codes', '?next=/profile', '?next=//evil.example', '?next=https://evil.example', '?next=%2F%2Fevil.example', '?next=/%0d%0aSet-Cookie:x=1', '?next=/\\evil',
    '?next=javascript:alert(1)', `?next=/${'x'.repeat(5000)}`, '?a=1&a=2', '?%', '?%%', '??', '?next', '?next=', '?next=/a&next=//b', '?include_auth_token&next=/x', '?next=/%E2%80%AEevil',
  ),
  utf16.map((text) => `?next=${percentEncode(text)}`),
  utf16.map((text) => `?${percentEncode(text)}=${percentEncode(text)}`),
  latin1.map((text) => `?${text.replace(/#/g, '')}`),
);

/** Junk for the `Cookie` header (without `;` unless meant), including another session cookie. */
export const cookieJunk = fc.oneof(
  latin1.map((text) => text.replace(/;/g, '')),
  fc.constantFrom('a=b', ';;;', '=x', 'twofold_session=', `twofold_session=${'A'.repeat(43)}`, 'twofold_session="quoted"', `tf_validity=${'B'.repeat(43)}`, 'x'.repeat(17_000), '__Host-twofold_session=abc'),
);

/** Extra headers: odd languages, API tokens, lying lengths, long user agents. */
export const extraHeaders = fc.record(
  {
    'accept-language': fc.oneof(latin1, fc.constantFrom('fr', 'fr-CH, fr;q=0.9', '*', 'x'.repeat(5000), 'en;q=abc, fr;q=1e9')),
    'authentication-token': fc.oneof(latin1, fc.stringMatching(/^[A-Za-z0-9_-]{22,128}$/)),
    'content-length': fc.constantFrom('-1', 'abc', '1e9', '99999999999999999999', '0', '5', '0x10', '65537'),
    'user-agent': fc.oneof(latin1, fc.constant('\u00FF'.repeat(1000))),
  },
  { requiredKeys: [] },
);

/** A POST body of any kind, with the content type it says it is (right or wrong). */
export const anyBody = fc.oneof(
  fc.record({ body: garbageFields.map((fields): BodySpec => ({ kind: 'json', fields })), contentType }),
  fc.record({ body: formText.map((text): BodySpec => ({ kind: 'form', text })), contentType }),
  multipart.map(({ body, contentType: type }) => ({ body: body as BodySpec, contentType: type as string | null })),
  fc.record({ body: jsonishText.map((text): BodySpec => ({ kind: 'text', text })), contentType }),
  fc.record({ body: fc.uint8Array({ maxLength: 64 }).map((bytes): BodySpec => ({ kind: 'bytes', bytes })), contentType }),
  fc.record({ body: fc.constant<BodySpec>({ kind: 'none' }), contentType }),
);

/** `spec` for a failure report: long strings and byte arrays cut short, so a 1 MiB body does not fill the log. */
export function describeSpec(spec: RequestSpec): string {
  return JSON.stringify(spec, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…(${value.length} chars)`;
    if (value instanceof Uint8Array) return `bytes[${[...value.slice(0, 64)].join(',')}${value.length > 64 ? ',…' : ''}]`;
    return value;
  });
}
