/** Events reach their listeners, and a failing listener cannot break the caller. */
import { describe, expect, it } from 'vitest';
import { TWOFOLD_EVENT_NAMES, TwofoldEvents } from './events.js';
import type { User } from './user.js';

const user = { id: 'u1', email: 'a@example.com' } as User;

describe('TwofoldEvents', () => {
  it('delivers payloads and unsubscribes', () => {
    const events = new TwofoldEvents();
    const seen: string[] = [];
    const off = events.on('tfCodeConfirmed', ({ method }) => void seen.push(method));
    events.emit('tfCodeConfirmed', { user, method: 'authenticator' });
    off();
    events.emit('tfCodeConfirmed', { user, method: 'email' });
    expect(seen).toEqual(['authenticator']);
  });

  it('isolates a throwing or rejecting listener', async () => {
    const failures: string[] = [];
    const events = new TwofoldEvents({ onListenerError: (_, event) => void failures.push(event) });
    const seen: string[] = [];
    events.on('tfDisabled', () => {
      throw new Error('boom');
    });
    events.on('tfDisabled', async () => {
      throw new Error('async boom');
    });
    events.on('tfDisabled', ({ user: u }) => void seen.push(u.id));
    expect(() => events.emit('tfDisabled', { user })).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['u1']);
    expect(failures).toEqual(['tfDisabled', 'tfDisabled']);
  });
});

describe('TWOFOLD_EVENT_NAMES', () => {
  it('names every event once, FST’s among them, so an audit log can listen to all', () => {
    expect(new Set(TWOFOLD_EVENT_NAMES).size).toBe(TWOFOLD_EVENT_NAMES.length);
    expect(TWOFOLD_EVENT_NAMES).toEqual(expect.arrayContaining(['tfSecurityTokenSent', 'tfCodeConfirmed', 'tfProfileChanged', 'tfDisabled', 'userFailedAuthn', 'userAuthenticated']));
    expect(Object.isFrozen(TWOFOLD_EVENT_NAMES)).toBe(true);
  });
});
