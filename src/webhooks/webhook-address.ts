import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a webhook may not reach unless WEBHOOKS_ALLOW_PRIVATE: private, loopback, link-local and the like. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4, private ones included
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is private, loopback, link-local or otherwise not the internet's. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) return PRIVATE.check(address, 'ipv6');
  return true;
}

/** Why a webhook URL is refused (a sentence naming `url`), or null when it may be used as written. */
export function urlShapeProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL, e.g. https://example.com/hooks/esito';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `url must use http or https, not ${url.protocol.replace(':', '')}`;
  }
  if (url.username || url.password) return 'url must not carry a user name or password';
  if (url.hostname === '') return 'url needs a host';
  return null;
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Every address the host resolves to, each checked: a private one is refused unless
 * allowed. Checking every address (not just the first) and checking again when a delivery
 * connects (see WebhookSender) defeats a name that answers a public address at
 * registration and a private one later (DNS rebinding).
 */
export async function resolvePublic(
  host: string,
  allowPrivate: boolean,
): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  const addresses: ResolvedAddress[] =
    family !== 0 ? [{ address: host, family }] : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new AddressRefused(`${host} has no address`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      throw new AddressRefused(
        `${host} points at ${bad.address}, a private, loopback or link-local address (set WEBHOOKS_ALLOW_PRIVATE=true to allow it)`,
      );
    }
  }
  return addresses;
}

/** A host that may not be reached (or cannot be resolved): the message says why. */
export class AddressRefused extends Error {}
