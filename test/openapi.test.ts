/** docs/openapi.yaml is a contract the test clients hold every JSON reply to; these check the document and the check itself. */
import { describe, expect, it } from 'vitest';
import { checkJsonReply, compileEveryReply, defaultUrls } from './support/openapi.js';

const urls = defaultUrls();
const reply = (status: number, response: Record<string, unknown>): unknown => ({ meta: { code: status }, response });

describe('docs/openapi.yaml', () => {
  it('compiles in strict mode, every reply of every operation', () => {
    expect(compileEveryReply()).toBeGreaterThan(100);
  });

  it("documents every one of twofold's URLs", () => {
    expect([...urls.values()].sort()).toEqual([
      '/login',
      '/logout',
      '/mf-recovery',
      '/mf-recovery-codes',
      '/tf-devices',
      '/tf-rescue',
      '/tf-select',
      '/tf-setup',
      '/tf-validate',
      '/verify',
    ]);
  });

  it('accepts a documented reply and refuses a field it does not know, naming path, status and field', () => {
    const ready = { tf_required: true, tf_state: 'ready', tf_primary_method: 'authenticator', tf_method: 'authenticator', csrf_token: 't' };
    expect(() => checkJsonReply({ method: 'POST', pathname: '/login', status: 200, body: reply(200, ready), urls })).not.toThrow();
    expect(() => checkJsonReply({ method: 'POST', pathname: '/login', status: 200, body: reply(200, { ...ready, tf_secret: 'x' }), urls })).toThrow(
      /POST \/login \(\/login\) answered 200.*unevaluatedProperty.*tf_secret/s,
    );
  });

  it('refuses a tf_state outside the enumeration, an undocumented status and a meta.code that is not the status', () => {
    const state = { tf_required: true, tf_state: 'select', csrf_token: 't' };
    expect(() => checkJsonReply({ method: 'POST', pathname: '/login', status: 200, body: reply(200, state), urls })).toThrow(/answered 200/);
    expect(() => checkJsonReply({ method: 'GET', pathname: '/login', status: 418, body: reply(418, {}), urls })).toThrow(/does not document/);
    expect(() => checkJsonReply({ method: 'GET', pathname: '/logout', status: 200, body: reply(201, { csrf_token: 't' }), urls })).toThrow(
      /meta.code 201/,
    );
  });

  it('maps /tf-setup/<token> to /tf-setup/{token}, and checks the guards on the application routes', () => {
    const changed = { tf_method: 'sms', tf_primary_method: 'sms', tf_phone: '+15555550100', csrf_token: 't' };
    expect(() => checkJsonReply({ method: 'POST', pathname: '/tf-setup/abc_DEF-1', status: 200, body: reply(200, changed), urls })).not.toThrow();
    const guard = { error: 'Two-factor authentication is required.', tf_required: true, tf_methods: [] };
    expect(() => checkJsonReply({ method: 'GET', pathname: '/api/data', status: 403, body: guard, urls })).not.toThrow();
    expect(() => checkJsonReply({ method: 'GET', pathname: '/api/data', status: 403, body: { ...guard, meta: { code: 403 } }, urls })).toThrow(
      /guard reply/,
    );
    expect(() => checkJsonReply({ method: 'GET', pathname: '/api/data', status: 200, body: { anything: true }, urls })).not.toThrow();
  });
});
