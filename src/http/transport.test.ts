// The transport decision: this machine is decided by the connection as well as the Host header.
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../delivery/loopback.js';
import { transportOf } from './transport.js';

const at = (url: string, headers: Record<string, string> = {}, info = {}) => transportOf(new URL(url), new Headers(headers), info);

describe('transportOf', () => {
  it('plain HTTP to a loopback host from a loopback connection without forwarding headers is this machine', () => {
    expect(at('http://127.0.0.1:3000/login', {}, { connectionAddress: '::ffff:127.0.0.1' }).thisMachine).toBe(true);
    expect(at('http://localhost/login').thisMachine).toBe(true);
  });

  it('a loopback Host is not enough: a remote connection, or untrusted forwarding headers, make it not this machine', () => {
    expect(at('http://127.0.0.1:3000/', {}, { connectionAddress: '203.0.113.5' }).thisMachine).toBe(false);
    const proxied = at('http://127.0.0.1:3000/', { 'x-forwarded-for': '203.0.113.5' }, { connectionAddress: '127.0.0.1' });
    expect(proxied).toEqual({ https: false, thisMachine: false, untrustedProxy: true });
    expect(at('http://127.0.0.1:3000/', { forwarded: 'proto=https' }).untrustedProxy).toBe(true);
  });

  it('behind a trusted proxy, the client the proxy names decides', () => {
    const trusted = { connectionAddress: '127.0.0.1', forwardingTrusted: true };
    expect(at('http://127.0.0.1/', { 'x-forwarded-for': '203.0.113.5' }, { ...trusted, clientAddress: '203.0.113.5' }).thisMachine).toBe(false);
    expect(at('http://127.0.0.1/', { 'x-forwarded-for': '127.0.0.1' }, { ...trusted, clientAddress: '127.0.0.1' }).thisMachine).toBe(true);
    expect(at('https://127.0.0.1/', { 'x-forwarded-proto': 'https' }, trusted)).toEqual({ https: true, thisMachine: false, untrustedProxy: false });
  });

  it('knows loopback addresses as sockets report them', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '::2', 'localhost']) expect(isLoopbackAddress(address), address).toBe(false);
  });
});
