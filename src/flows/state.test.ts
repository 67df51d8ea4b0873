/** The session's one two-factor state: stored and read back, refused when malformed, and its few moves. */
import { describe, expect, it } from 'vitest';
import { emptySessionData, endReauth, NO_TF, parseSessionData, pendingChangeOf, startReauth, tfStateName, withoutChange, type LoginState, type TfState } from './state.js';

const CSRF = 'c'.repeat(32);
const base = { userId: 'u1', fsUniquifier: 'f1', remember: false, next: '/next', startedAtInSeconds: 100 };
const change = { pending: { method: 'authenticator', startedAtInSeconds: 100 }, tokenHash: 'h'.repeat(64) };
const reauth = { method: 'sms', challenge: 'abc', startedAtInSeconds: 100, next: null };
const LOGINS: LoginState[] = [
  { ...base, kind: 'setup', pending: null },
  { ...base, kind: 'setup', pending: { method: 'sms', phoneNumber: '+442083661177', startedAtInSeconds: 100 } },
  { ...base, kind: 'select', methods: ['authenticator', 'sms'] },
  { ...base, kind: 'validate', method: 'email', challenge: 'ch', problem: 'help' },
  { ...base, kind: 'unavailable', method: 'sms', challenge: 'ch', problem: null },
];
const STATES: TfState[] = [
  NO_TF,
  { kind: 'ended' },
  { kind: 'change', change },
  { kind: 'reauth', reauth, resume: null },
  { kind: 'reauth', reauth, resume: change },
  ...LOGINS.map((login) => ({ kind: 'login' as const, login })),
];

function roundTrip(tf: TfState): TfState {
  return parseSessionData(JSON.stringify({ ...emptySessionData(CSRF), tf }), () => 'new').tf;
}

describe('TfState in the session row', () => {
  it('reads back every state as it was written', () => {
    for (const tf of STATES) expect(roundTrip(tf)).toEqual(tf);
  });

  it('reads anything malformed as no state, never as a half-read one', () => {
    const broken = [
      'not json',
      JSON.stringify({ csrf: CSRF, tf: { kind: 'login', login: { ...base, kind: 'validate' } } }),
      JSON.stringify({ csrf: CSRF, tf: { kind: 'login', login: { kind: 'setup' } } }),
      JSON.stringify({ csrf: CSRF, tf: { kind: 'change', change: { tokenHash: 'x' } } }),
      JSON.stringify({ csrf: CSRF, tf: { kind: 'reauth', reauth: { method: 'sms' } } }),
      JSON.stringify({ csrf: CSRF, tf: { kind: 'admin' } }),
      JSON.stringify({ csrf: CSRF, tf: 'login' }),
      JSON.stringify({ csrf: CSRF, login: { ...base, kind: 'setup', pending: null } }),
    ];
    for (const json of broken) expect(parseSessionData(json, () => CSRF).tf, json).toEqual(NO_TF);
  });
});

describe('moves of the state', () => {
  it('a re-authentication holds the change under way, and gives it back once over', () => {
    const started = startReauth({ kind: 'change', change }, reauth);
    expect(started).toEqual({ kind: 'reauth', reauth, resume: change });
    expect(pendingChangeOf(started)).toEqual(change);
    expect(endReauth(started)).toEqual({ kind: 'change', change });
    expect(endReauth(startReauth(NO_TF, reauth))).toEqual(NO_TF);
  });

  it('a change done or dropped leaves a re-authentication in place, and nothing else', () => {
    expect(withoutChange({ kind: 'change', change })).toEqual(NO_TF);
    expect(withoutChange({ kind: 'reauth', reauth, resume: change })).toEqual({ kind: 'reauth', reauth, resume: null });
    expect(withoutChange(NO_TF)).toEqual(NO_TF);
  });

  it("names each login step as FST's tf_state", () => {
    expect(LOGINS.map(tfStateName)).toEqual(['setup_from_login', 'validating_profile', 'select', 'ready', 'unavailable']);
  });
});
