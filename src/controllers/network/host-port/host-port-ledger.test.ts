import { describe, expect, it } from '@jest/globals';
import type { Store } from '../../../runtime/store.js';
import type { CachedNode, CachedPod } from '../../shared/informers.js';
import { HostPortLedger, IN_FLIGHT_TTL_MS } from './host-port-ledger.js';

function store<T extends { metadata?: { name?: string; namespace?: string } }>(items: T[]): Store<T> {
  const key = (o: T) => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? ''));
  return {
    get: (k) => items.find((o) => key(o) === k),
    getByName: (ns, name) => items.find((o) => o.metadata?.namespace === ns && o.metadata.name === name),
    list: () => [...items],
    keys: () => items.map(key),
    byIndex: () => [],
    size: items.length,
    hasSynced: () => true,
    synced: Promise.resolve(),
  };
}
const pod = (name: string, hostPort: number): CachedPod => ({ metadata: { name, namespace: 'ns' }, spec: { containers: [{ name: 'game', ports: [{ containerPort: 7, hostPort }] }] } });
const nodes = (n: number): CachedNode[] => Array.from({ length: n }, (_, i) => ({ metadata: { name: `n${i}` } }));
const range = { min: 8000, max: 8002 };

describe('HostPortLedger', () => {
  it('two creations the cache has not shown yet never get the same port; a failed one gives its port back', () => {
    const pods: CachedPod[] = [];
    const ledger = new HostPortLedger(store(pods), store(nodes(1)), range);
    expect(ledger.allocate('ns/a', 1)).toEqual({ ok: true, ports: [8000] });
    expect(ledger.allocate('ns/b', 1)).toEqual({ ok: true, ports: [8001] });
    ledger.release('ns/b');
    expect(ledger.allocate('ns/c', 1)).toEqual({ ok: true, ports: [8001] });
    expect(ledger.allocate('ns/d', 1)).toEqual({ ok: true, ports: [8002] });
    expect(ledger.allocate('ns/e', 1).ok).toBe(false);
  });

  it('a restarted operator rebuilds the table from the cached pods, and a deleted pod frees its port', () => {
    const pods = [pod('a', 8000), pod('b', 8002)];
    const restarted = new HostPortLedger(store(pods), store(nodes(1)), range);
    expect(restarted.allocate('ns/c', 1)).toEqual({ ok: true, ports: [8001] });
    pods.push(pod('c', 8001));
    expect(restarted.allocate('ns/d', 1).ok).toBe(false);
    pods.splice(0, 1);
    expect(restarted.allocate('ns/d', 1)).toEqual({ ok: true, ports: [8000] });
  });

  it('with more nodes a port serves one pod per node', () => {
    const pods = [pod('a', 8000), pod('b', 8001), pod('c', 8002)];
    const ledger = new HostPortLedger(store(pods), store(nodes(2)), range);
    expect(ledger.allocate('ns/d', 2)).toEqual({ ok: true, ports: [8000, 8001] });
  });

  it('forgets an allocation whose pod the cache never showed after IN_FLIGHT_TTL_MS', () => {
    let now = 0;
    const ledger = new HostPortLedger(store<CachedPod>([]), store(nodes(1)), { min: 8000, max: 8000 }, () => now);
    expect(ledger.allocate('ns/a', 1).ok).toBe(true);
    expect(ledger.allocate('ns/b', 1).ok).toBe(false);
    now = IN_FLIGHT_TTL_MS + 1;
    expect(ledger.allocate('ns/b', 1)).toEqual({ ok: true, ports: [8000] });
  });
});
