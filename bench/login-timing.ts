/**
 * Benchmark: how long `POST /login` with a wrong password takes on each enumeration branch (unknown e-mail,
 * account without 2FA, with an authenticator, with e-mail 2FA, deactivated), as ratios against the unknown-e-mail
 * branch measured in the same run (checklist ENUM-01). `npx tsx bench/login-timing.ts`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { sessionCookieName } from '../src/http/session.js';
import { Totp } from '../src/otp/totp-class.js';
import { hashPassword } from '../src/passwords.js';
import { Security } from '../src/security.js';
import { openDatastore } from '../src/store/kysely/connect.js';

const SAMPLES_PER_BRANCH = 200;
const WARM_UP_PER_BRANCH = 10;
const PASSWORD = 'correct horse battery staple';
const WRONG_PASSWORD = 'not the password';
const BRANCHES = ['unknown e-mail', 'no 2FA', 'authenticator', 'e-mail 2FA', 'deactivated'] as const;
type Branch = (typeof BRANCHES)[number];
const EMAILS: Record<Branch, string> = {
  'unknown e-mail': 'nobody@example.test',
  'no 2FA': 'plain@example.test',
  authenticator: 'authenticator@example.test',
  'e-mail 2FA': 'mailed@example.test',
  deactivated: 'deactivated@example.test',
};
/** Plain HTTP, so the cookie has no `__Host-` prefix. */
const COOKIE = sessionCookieName(false);
const loadAtStart = loadavg().map((load) => load.toFixed(2)).join(' ');

async function makeSecurity(): Promise<Security> {
  const datastore = await openDatastore('sqlite::memory:');
  await datastore.migrate();
  const security = new Security(
    { totpSecrets: { '1': 'benchmark-only-key-ring-secret-0123456789-abcdef' }, totpIssuer: 'twofold bench', twoFactorEnabledMethods: ['authenticator', 'email'] },
    datastore,
    { mailer: { send: async () => {} } },
  );
  const passwordHash = await hashPassword(PASSWORD);
  const create = async (email: string, active = true) => {
    const user = await security.createUser({ email, passwordHash, active });
    if (user === null) throw new Error(`${email} exists in a fresh database`);
    return user;
  };
  await create(EMAILS['no 2FA']);
  const authenticator = await create(EMAILS.authenticator);
  const secret = security.keyring.encrypt(new Totp().secrets, `users.tf_totp_secret:${authenticator.id}`);
  await security.datastore.setTwoFactor(authenticator.id, { method: 'authenticator', totpSecretEncrypted: secret, phoneNumber: null, lastStep: null });
  const mailed = await create(EMAILS['e-mail 2FA']);
  await security.datastore.setTwoFactor(mailed.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
  await create(EMAILS.deactivated, false);
  return security;
}

/**
 * One failed login as a JSON client makes it: the login page for a session and its CSRF token (not timed),
 * then the wrong password (timed, from the Request handed to `security.handle` to the body read).
 * @returns milliseconds.
 */
async function timeFailedLogin(security: Security, email: string): Promise<number> {
  const page = await security.handle(new Request('http://localhost/login', { headers: { accept: 'application/json' } }));
  if (page === null) throw new Error('/login is not served');
  const csrf = ((await page.json()) as { response: { csrf_token: string } }).response.csrf_token;
  const cookie = page.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE}=`))?.split(';', 1)[0];
  if (cookie === undefined) throw new Error('GET /login set no session cookie');
  const request = new Request('http://localhost/login', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ email, password: WRONG_PASSWORD }),
  });
  const start = process.hrtime.bigint();
  const reply = await security.handle(request);
  const body = (await reply?.text()) ?? '';
  const milliseconds = Number(process.hrtime.bigint() - start) / 1e6;
  if (reply?.status !== 400) throw new Error(`a wrong password for ${email} answered ${reply?.status}: ${body}`);
  return milliseconds;
}

function quantile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))] ?? Number.NaN;
}
const median = (values: readonly number[]): number => quantile(values, 0.5);
const mean = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0) / values.length;

async function main(): Promise<void> {
  const security = await makeSecurity();
  for (let round = 0; round < WARM_UP_PER_BRANCH; round++) for (const branch of BRANCHES) await timeFailedLogin(security, EMAILS[branch]);

  const samples = new Map<Branch, number[]>(BRANCHES.map((branch) => [branch, []]));
  for (let round = 0; round < SAMPLES_PER_BRANCH; round++) {
    // Rotate the order so no branch always runs first or after the same neighbour.
    for (let offset = 0; offset < BRANCHES.length; offset++) {
      const branch = BRANCHES[(round + offset) % BRANCHES.length] as Branch;
      samples.get(branch)?.push(await timeFailedLogin(security, EMAILS[branch]));
    }
  }
  await security.datastore.close();

  const of = (branch: Branch): number[] => samples.get(branch) ?? [];
  const baseline = of('unknown e-mail');
  const column = (text: string, width: number): string => text.padStart(width);
  console.log(`POST /login with a wrong password, in process (security.handle, SQLite in memory, argon2id m=19 MiB t=2 p=1).`);
  console.log(`${SAMPLES_PER_BRANCH} samples per branch, interleaved (order rotating each round), after ${WARM_UP_PER_BRANCH} warm-up rounds. node ${process.version}, ${availableParallelism()} CPUs.`);
  console.log(`Load average before the run: ${loadAtStart} (a shared machine makes every figure noisier; interleaving spreads the noise over all branches).\n`);
  console.log(`${'branch'.padEnd(16)}${column('mean ms', 9)}${column('median ms', 11)}${column('p10 ms', 8)}${column('p90 ms', 8)}${column('mean ×', 9)}${column('median ×', 10)}`);
  for (const branch of BRANCHES) {
    const times = of(branch);
    console.log(
      `${branch.padEnd(16)}${column(mean(times).toFixed(2), 9)}${column(median(times).toFixed(2), 11)}${column(quantile(times, 0.1).toFixed(2), 8)}` +
        `${column(quantile(times, 0.9).toFixed(2), 8)}${column((mean(times) / mean(baseline)).toFixed(3), 9)}${column((median(times) / median(baseline)).toFixed(3), 10)}`,
    );
  }
  // The same branch against itself: how far apart two halves of one branch land is the noise a ratio has to beat.
  const even = baseline.filter((_, index) => index % 2 === 0);
  const odd = baseline.filter((_, index) => index % 2 === 1);
  console.log(`\n× = ratio to the unknown-e-mail branch of this run. Noise floor (unknown e-mail, odd vs even rounds): mean × ${(mean(odd) / mean(even)).toFixed(3)}, median × ${(median(odd) / median(even)).toFixed(3)}.`);
  const worst = Math.max(...BRANCHES.map((branch) => Math.abs(median(of(branch)) / median(baseline) - 1)));
  console.log(`Largest median deviation from the unknown-e-mail branch: ${(worst * 100).toFixed(1)}% (a skipped password hash would show as about −95%).`);
}

await main();
