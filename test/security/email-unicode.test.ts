/**
 * Threat: one address typed in two Unicode spellings (É as one code point, NFC, or as E plus a combining
 * accent, NFD) must not become two accounts, one of which a stranger could register to receive the other's
 * mail-based codes and notices, or that splits one person's logins and limits in two.
 */
import { describe, expect, it } from 'vitest';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();

const NFC = '\u00C9VA@example.com';
const NFD = 'E\u0301VA@example.com';

describe('e-mail addresses in NFC and NFD', () => {
  it('the second spelling is refused as taken, and both spellings log in to the one account', async () => {
    const { security } = makeApp(db.datastore, { options: { twoFactorEnabledMethods: ['authenticator'] } });
    const user = await userWithPassword(security, NFC);
    expect(await security.createUser({ email: NFD, passwordHash: null })).toBeNull();
    expect((await security.findUserByEmail(NFD))?.id).toBe(user.id);

    for (const spelling of [NFC, NFD]) {
      const client = new Client(security);
      await client.get('/login');
      const reply = await client.post('/login', { email: spelling, password: PASSWORD });
      expect(reply.status).toBe(200);
      expect(reply.json.user).toMatchObject({ email: '\u00E9va@example.com' });
    }
  });
});
