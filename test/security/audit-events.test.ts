/**
 * Threat: an attack that leaves no trace. Every two-factor action raises an event an audit log can record whole,
 * and the events of one request say who, from where, when and which request (checklist LOG-01).
 */
import { describe, expect, it } from 'vitest';
import { TWOFOLD_EVENT_NAMES, type TwofoldEventName } from '../../src/events.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, wrongCode } from '../support/app.js';
import { Client } from '../support/client.js';
import { TEST_START_IN_SECONDS } from '../support/security.js';

const db = useDatastore();

/** An audit log as an application would keep one: every event, its payload whole. */
function auditLog(security: Security): { name: TwofoldEventName; payload: Record<string, unknown> }[] {
  const log: { name: TwofoldEventName; payload: Record<string, unknown> }[] = [];
  for (const name of TWOFOLD_EVENT_NAMES) security.events.on(name, (payload) => void log.push({ name, payload: payload as Record<string, unknown> }));
  return log;
}

describe('the events of a request (LOG-01)', () => {
  it('carry the user, the factor, the address, the browser, the time and the proxy’s request id', async () => {
    const { security, clock } = makeApp(db.datastore);
    const log = auditLog(security);
    const { user, phone } = await userWithAuthenticator(security, 'audit@example.test');
    const client = new Client(security, { clientAddress: '198.51.100.40', headers: { 'user-agent': 'Audit Browser/1.0' } });
    await client.get('/login');
    await client.post('/login', { email: 'audit@example.test', password: PASSWORD });
    const right = phone.generatePassword(clock.nowInSeconds());
    await client.post('/tf-validate', { code: wrongCode(right) }, { headers: { 'x-request-id': 'req-wrong-1' } });
    clock.advance(5);
    await client.post('/tf-validate', { code: right }, { headers: { 'x-request-id': 'req-right-2' } });

    const client1 = { address: '198.51.100.40', userAgent: 'Audit Browser/1.0', requestId: 'req-wrong-1', atInSeconds: TEST_START_IN_SECONDS };
    const client2 = { ...client1, requestId: 'req-right-2', atInSeconds: TEST_START_IN_SECONDS + 5 };
    const who = expect.objectContaining({ id: user.id, email: 'audit@example.test', tfPrimaryMethod: 'authenticator' });
    expect(log.filter((entry) => entry.payload.client !== undefined)).toEqual([
      { name: 'tfSecurityTokenSent', payload: { user: who, method: 'authenticator', phoneNumber: null, client: { ...client1, requestId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) } } },
      { name: 'userFailedAuthn', payload: { user: who, authType: 'code', tfa: true, client: client1 } },
      { name: 'tfPassedAfterFailures', payload: { user: who, failures: 1, client: client2 } },
      { name: 'tfCodeConfirmed', payload: { user: who, method: 'authenticator', client: client2 } },
      { name: 'userAuthenticated', payload: { user: who, authnVia: ['password', 'authenticator'], client: client2 } },
    ]);
  });

  it('include the code sent and a re-authentication, each with its request', async () => {
    const mails: string[] = [];
    const { security, clock } = makeApp(db.datastore, { options: { freshness: 60, freshnessGracePeriod: 0 }, mailer: { send: async (mail) => void mails.push(mail.text) } });
    const log = auditLog(security);
    const { phone } = await userWithAuthenticator(security, 'audit-reauth@example.test');
    const client = new Client(security, { clientAddress: '198.51.100.41' });
    await client.get('/login');
    await client.post('/login', { email: 'audit-reauth@example.test', password: PASSWORD }, { headers: { 'x-request-id': 'req-password' } });
    await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    clock.advance(90);
    await client.post('/verify', { password: PASSWORD });
    await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) }, { headers: { 'x-request-id': 'req-step-up' } });
    const sent = log.find((entry) => entry.name === 'tfSecurityTokenSent');
    expect(sent?.payload).toMatchObject({ method: 'authenticator', client: { address: '198.51.100.41', requestId: 'req-password' } });
    const stepUp = log.find((entry) => entry.name === 'userReauthenticated');
    expect(stepUp?.payload).toMatchObject({ authnVia: ['password', 'authenticator'], client: { requestId: 'req-step-up', atInSeconds: TEST_START_IN_SECONDS + 90 } });
  });

  it('make a request id when there is none, or when the header is not one (it would reach the logs)', async () => {
    const { security, clock } = makeApp(db.datastore);
    const log = auditLog(security);
    const { phone } = await userWithAuthenticator(security, 'audit-ids@example.test');
    const ids: unknown[] = [];
    for (const header of [null, 'two words', 'x'.repeat(129), 'line\u0085break']) {
      const client = new Client(security);
      await client.get('/login');
      await client.post('/login', { email: 'audit-ids@example.test', password: PASSWORD });
      await client.post('/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) }, header === null ? {} : { headers: { 'x-request-id': header } });
      ids.push((log.at(-1)?.payload.client as { requestId: unknown }).requestId);
    }
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
