import { describe, expect, it } from '@jest/globals';
import { allocateHostPorts, countUsage, hostPortsOf } from './allocate-host-ports.js';

const range = { min: 8000, max: 8004 };

describe('allocateHostPorts', () => {
  it.each([
    ['empty range usage: lowest ports', new Map<number, number>(), 2, 3, [8000, 8001]],
    ['least used first', new Map([[8000, 1], [8001, 1], [8002, 0], [8003, 1], [8004, 1]]), 1, 3, [8002]],
    ['reuse across nodes once every port is held', countUsage([[8000], [8001], [8002], [8003], [8004]]), 2, 3, [8000, 8001]],
    ['ports out of the range do not count', new Map([[9999, 5]]), 1, 1, [8000]],
  ])('%s', (_name, usage, needed, limit, ports) => {
    expect(allocateHostPorts(range, usage, needed, limit)).toEqual({ ok: true, ports });
  });

  it('is exhausted when every port serves one pod per node', () => {
    const usage = countUsage([[8000, 8001, 8002, 8003, 8004], [8000, 8001, 8002, 8003, 8004]]);
    const result = allocateHostPorts(range, usage, 1, 2);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/host ports 8000-8004 exhausted: 0 free for 1 needed/);
  });

  it('refuses a pod needing more ports than the range holds', () => {
    expect(allocateHostPorts(range, new Map(), 6, 3)).toEqual({ ok: false, message: 'a pod needs 6 host ports and the range 8000-8004 has 5' });
  });

  it('a released pod gives its ports back (usage is recounted from the pods that remain)', () => {
    const pods = [[8000], [8001], [8002], [8003], [8004]];
    expect(allocateHostPorts(range, countUsage(pods), 1, 1).ok).toBe(false);
    expect(allocateHostPorts(range, countUsage(pods.filter((p) => p[0] !== 8003)), 1, 1)).toEqual({ ok: true, ports: [8003] });
  });

  it('after a restart the same pods give the same table (ports read from pod specs, TCPUDP counted once)', () => {
    const containers = [{ ports: [{ hostPort: 8001, containerPort: 7 }, { hostPort: 8001, containerPort: 7 }, { containerPort: 80 }] }];
    expect(hostPortsOf(containers, range)).toEqual([8001]);
    const before = countUsage([hostPortsOf(containers, range)]);
    expect(allocateHostPorts(range, before, 1, 1)).toEqual({ ok: true, ports: [8000] });
  });
});
