/** Whether a host is this machine: the one place plain-text delivery (no TLS) is allowed, for local relays and tests. */

/** True for `localhost`, 127.0.0.0/8 and `::1`: hosts whose traffic never leaves the machine (checklist OOB-09). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** True for a loopback IP address as a socket reports it: 127.0.0.0/8, `::1`, and 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}
