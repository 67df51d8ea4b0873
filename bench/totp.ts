/** Benchmark: worst-case TOTP verifications per second (a wrong code, window 1) against other libraries and raw HMAC. */
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { TOTP as OtpauthTotp, Secret } from 'otpauth';
import { verifySync as otplibVerifySync } from 'otplib';
import speakeasy from 'speakeasy';
import { encodeBase32NoPadding } from '../src/otp/base32.js';
import { Totp } from '../src/otp/totp-class.js';

/** One contender: a name and a single worst-case verification, which must return "not valid". */
interface Contender {
  name: string;
  verifyOnce: () => boolean;
}

// The machine may be shared (tests running beside us), so time is sampled in ~1 ms batches, interleaved
// across contenders, and each contender's speed is read from a low quantile of its batch times: a batch
// the OS preempted or a GC pause interrupted is slow, never fast, so the fast quarter shows the code itself.
const MEASURE_IN_MILLISECONDS = 30_000;
const WARM_UP_IN_MILLISECONDS = 500;
const BATCH_IN_MILLISECONDS = 1;
const QUANTILE = 0.25;

const secretBytes = randomBytes(20);
const secretBase32 = encodeBase32NoPadding(secretBytes);
const totp = new Totp(secretBase32);

// A code valid nowhere near now, so every contender computes all three steps and fails.
function pickWrongCode(): string {
  const nowInSeconds = Date.now() / 1000;
  const nearby = new Set<string>();
  for (let offset = -5; offset <= 10; offset++) nearby.add(totp.generatePassword(nowInSeconds + offset * 30));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, '0');
    if (!nearby.has(code)) return code;
  }
}
const wrongCode = pickWrongCode();

// The floor no HMAC-based verifier can beat: three HMAC-SHA1 of ready-made counters, nothing else.
// Measured with the key as a Buffer and as a KeyObject; the faster of the two is "the limit".
const counterBuffers = [0, 1, 2].map((offset) => {
  const counter = Buffer.alloc(8);
  counter.writeUInt32BE(Math.floor(Date.now() / 30_000) - 1 + offset, 4);
  return counter;
});
function threeHmacs(key: Buffer | ReturnType<typeof createSecretKey>): () => boolean {
  const [first, second, third] = counterBuffers as [Buffer, Buffer, Buffer];
  return () => {
    createHmac('sha1', key).update(first).digest();
    createHmac('sha1', key).update(second).digest();
    createHmac('sha1', key).update(third).digest();
    return false;
  };
}

const otpauthTotp = new OtpauthTotp({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 });

const contenders: Contender[] = [
  { name: 'limit: 3 × createHmac (Buffer key)', verifyOnce: threeHmacs(secretBytes) },
  { name: 'limit: 3 × createHmac (KeyObject)', verifyOnce: threeHmacs(createSecretKey(secretBytes)) },
  { name: 'twofold Totp.verify(wrong, 1)', verifyOnce: () => totp.verify(wrongCode, 1) },
  { name: 'otpauth TOTP.validate({ window: 1 })', verifyOnce: () => otpauthTotp.validate({ token: wrongCode, window: 1 }) !== null },
  { name: 'otplib verifySync({ epochTolerance: 30 })', verifyOnce: () => otplibVerifySync({ secret: secretBase32, token: wrongCode, epochTolerance: 30 }).valid },
  { name: 'speakeasy totp.verify({ window: 1 })', verifyOnce: () => speakeasy.totp.verify({ secret: secretBase32, encoding: 'base32', token: wrongCode, window: 1 }) },
];

// Runs `verifyOnce` `calls` times and returns the seconds per call; throws if the wrong code passed.
function timeBatch(contender: Contender, calls: number): number {
  let accepted = false;
  const start = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) accepted = contender.verifyOnce() || accepted;
  const elapsedInSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (accepted) throw new Error(`${contender.name} accepted the wrong code ${wrongCode}; rerun`);
  return elapsedInSeconds / calls;
}

function quantile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

const formatOps = (secondsPerCall: number): string => Math.round(1 / secondsPerCall).toLocaleString('en');

function main(): void {
  // Warm up (JIT) and size each contender's batch to about BATCH_IN_MILLISECONDS.
  const callsPerBatch = contenders.map((contender) => {
    const warmUpDeadline = Date.now() + WARM_UP_IN_MILLISECONDS;
    let secondsPerCall = Number.POSITIVE_INFINITY;
    while (Date.now() < warmUpDeadline) secondsPerCall = Math.min(secondsPerCall, timeBatch(contender, 64));
    return Math.max(8, Math.round(BATCH_IN_MILLISECONDS / 1000 / secondsPerCall));
  });

  const samples: number[][] = contenders.map(() => []);
  const deadline = Date.now() + MEASURE_IN_MILLISECONDS;
  for (let round = 0; Date.now() < deadline; round++) {
    // Rotate the order so no contender always runs first or after the same neighbour.
    for (let offset = 0; offset < contenders.length; offset++) {
      const index = (round + offset) % contenders.length;
      samples[index]?.push(timeBatch(contenders[index] as Contender, callsPerBatch[index] ?? 8));
    }
  }

  const fastQuarter = samples.map((times) => quantile(times, QUANTILE));
  const medians = samples.map((times) => quantile(times, 0.5));
  // The limit is the faster of the two raw variants.
  const limitIndex = (fastQuarter[0] ?? 0) <= (fastQuarter[1] ?? 0) ? 0 : 1;
  const limitFast = fastQuarter[limitIndex] ?? Number.NaN;
  const limitMedian = medians[limitIndex] ?? Number.NaN;

  console.log(`TOTP verify, wrong code, window 1 (3 HMAC-SHA1 each). node ${process.version}, ${samples[0]?.length ?? 0} interleaved ~${BATCH_IN_MILLISECONDS} ms batches per contender.`);
  console.log(`Speed = p${QUANTILE * 100} of batch times (preempted or GC-hit batches are only ever slower); the median is shown for comparison.`);
  console.log(`Limit = "${contenders[limitIndex]?.name}".\n`);
  console.log(`${'contender'.padEnd(44)}${'ops/s'.padStart(10)}${'× limit'.padStart(9)}${'median ops/s'.padStart(14)}${'× limit'.padStart(9)}`);
  contenders.forEach((contender, index) => {
    const fast = fastQuarter[index] ?? Number.NaN;
    const middle = medians[index] ?? Number.NaN;
    console.log(
      `${contender.name.padEnd(44)}${formatOps(fast).padStart(10)}${(limitFast / fast).toFixed(2).padStart(9)}` +
        `${formatOps(middle).padStart(14)}${(limitMedian / middle).toFixed(2).padStart(9)}`,
    );
  });
  const ours = limitFast / (fastQuarter[contenders.findIndex((contender) => contender.name.startsWith('twofold'))] ?? Number.NaN);
  console.log(`\ntwofold: ${ours.toFixed(2)} × limit (target ≥ 0.90): ${ours >= 0.9 ? 'met' : 'NOT met'}`);
}

main();
