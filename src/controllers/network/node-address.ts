// The address players use to reach a node (OKG getAddress): its ExternalIP,
// else ExternalDNS, else InternalIP, else InternalDNS.
import type { CachedNode } from '../shared/informers.js';

const ORDER = ['ExternalIP', 'ExternalDNS', 'InternalIP', 'InternalDNS'] as const;

export function nodeAddress(node: CachedNode | undefined): string | undefined {
  const addresses = node?.status?.addresses ?? [];
  for (const type of ORDER) {
    const found = addresses.find((address) => address.type === type && address.address !== '');
    if (found) return found.address;
  }
  return undefined;
}
