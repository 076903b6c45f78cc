// Which host ports a new pod gets (pure). OKG hands out the least used ports
// of the range, cluster-wide, and lets kube-scheduler's NodePorts filter put
// pods that share a port on different nodes. Same here, with ties broken by
// the lowest port (stable across restarts) and a cap: a port held by as many
// pods as there are nodes has no node left, so the range is exhausted when
// fewer than `needed` ports are under that cap.
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export type Allocation = { readonly ok: true; readonly ports: readonly number[] } | { readonly ok: false; readonly message: string };

/**
 * `usage`: how many live pods hold each port (ports outside the range are
 * ignored); `perPortLimit`: the most pods one port may serve (the number of
 * schedulable nodes, at least 1).
 */
export function allocateHostPorts(range: PortRange, usage: ReadonlyMap<number, number>, needed: number, perPortLimit: number): Allocation {
  if (needed === 0) return { ok: true, ports: [] };
  const limit = Math.max(1, perPortLimit);
  const size = range.max - range.min + 1;
  if (needed > size) return { ok: false, message: `a pod needs ${needed} host ports and the range ${range.min}-${range.max} has ${size}` };
  const candidates: { port: number; used: number }[] = [];
  for (let port = range.min; port <= range.max; port++) {
    const used = usage.get(port) ?? 0;
    if (used < limit) candidates.push({ port, used });
  }
  if (candidates.length < needed) {
    return {
      ok: false,
      message: `host ports ${range.min}-${range.max} exhausted: ${candidates.length} free for ${needed} needed (each port already serves ${limit} pod(s), one per node)`,
    };
  }
  candidates.sort((a, b) => a.used - b.used || a.port - b.port);
  return { ok: true, ports: candidates.slice(0, needed).map((c) => c.port).sort((a, b) => a - b) };
}

/** Host ports of a pod's containers that fall in `range`, each once (TCPUDP maps one host port twice). */
export function hostPortsOf(containers: readonly { ports?: readonly { hostPort?: number }[] }[], range: PortRange): number[] {
  const ports = new Set<number>();
  for (const container of containers) {
    for (const port of container.ports ?? []) {
      if (port.hostPort !== undefined && port.hostPort >= range.min && port.hostPort <= range.max) ports.add(port.hostPort);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** How many pods hold each port, over every pod's held ports. */
export function countUsage(held: Iterable<readonly number[]>): Map<number, number> {
  const usage = new Map<number, number>();
  for (const ports of held) for (const port of ports) usage.set(port, (usage.get(port) ?? 0) + 1);
  return usage;
}
