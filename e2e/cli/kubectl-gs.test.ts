// `kubectl gs`, command by command, against the real control plane and the
// operator running in-process: list, describe, set (with the race of a room
// allocated between read and write), kill, reserve and the lossless release.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump as toYaml, load as parseYaml } from 'js-yaml';
import { createTestNamespace, deleteTestNamespace, e2eEnvironment, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, readSet } from '../game-server-set/harness.js';
import { kubectlGs, kubectlGsInProcess, tableRows } from './harness.js';

let namespace: string;
let operator: TestOperator;

interface GsView {
  metadata: { name: string };
  spec: { opsState?: string; deletionPriority?: number | string; updatePriority?: number | string };
  status?: { currentState?: string };
}

async function gameServers(): Promise<Map<string, GsView>> {
  const list = JSON.parse(await kubectl(['get', 'gs', '-n', namespace, '-o', 'json'])) as { items: GsView[] };
  return new Map(list.items.map((gs) => [gs.metadata.name, gs]));
}

/** The rooms of `set` are exactly `names`, all Ready. */
async function roomsReady(set: string, names: readonly string[]): Promise<Map<string, GsView> | false> {
  const all = await gameServers();
  const rooms = [...all.values()].filter((gs) => gs.metadata.name.startsWith(`${set}-`));
  const ok = rooms.length === names.length && rooms.every((gs) => names.includes(gs.metadata.name) && gs.status?.currentState === 'Ready');
  return ok ? all : false;
}

const oneContainer = [{ name: 'game', image: 'example.com/game:1.0' }];

beforeAll(async () => {
  namespace = await createTestNamespace('kubectl-gs');
  operator = await startOperator({ namespaces: [namespace] });
  await applySet(namespace, gameServerSet('room', 3, {}, oneContainer));
  await eventually(() => roomsReady('room', ['room-0', 'room-1', 'room-2']), { description: 'rooms room-0..2 Ready', timeoutMs: 60_000 });
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

describe('kubectl gs list', () => {
  it('prints the rooms as kubectl prints a table', async () => {
    const result = await kubectlGs(['list', '-n', namespace]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const rows = tableRows(result.stdout);
    expect(rows[0]).toEqual(['NAME', 'STATE', 'OPSSTATE', 'DP', 'UP', 'REVISION', 'AGE']);
    expect(rows.slice(1).map((row) => row.slice(0, 6))).toEqual([
      ['room-0', 'Ready', 'None', '0', '0', 'new'],
      ['room-1', 'Ready', 'None', '0', '0', 'new'],
      ['room-2', 'Ready', 'None', '0', '0', 'new'],
    ]);
    // Columns start where their header starts (no borders, kubectl's tabwriter).
    const lines = result.stdout.split('\n');
    expect(lines[1]!.indexOf('Ready')).toBe(lines[0]!.indexOf('STATE'));
  });

  it('-o wide adds set, node and address; -A adds the namespace', async () => {
    const wide = tableRows((await kubectlGs(['list', 'room', '-n', namespace, '-o', 'wide'])).stdout);
    expect(wide[0]).toEqual(['NAME', 'STATE', 'OPSSTATE', 'DP', 'UP', 'REVISION', 'AGE', 'SET', 'NODE', 'ADDRESS']);
    const pod = JSON.parse(await kubectl(['get', 'pod', 'room-0', '-n', namespace, '-o', 'json'])) as { spec: { nodeName: string }; status: { podIP?: string } };
    expect(wide[1]!.slice(7)).toEqual(['room', pod.spec.nodeName, pod.status.podIP ?? '<none>']);
    const all = await kubectlGs(['list', '-A', '-l', 'app=room']);
    expect(tableRows(all.stdout)[0]![0]).toBe('NAMESPACE');
    expect(all.stdout).toContain(`${namespace}   room-0`);
  });

  it('-o json, yaml and name; filters by state and opsState', async () => {
    const json = JSON.parse((await kubectlGs(['list', '-n', namespace, '-o', 'json'])).stdout) as { kind: string; items: GsView[] };
    expect(json.kind).toBe('List');
    expect(json.items.map((gs) => gs.metadata.name)).toEqual(['room-0', 'room-1', 'room-2']);
    const yaml = parseYaml((await kubectlGs(['list', '-n', namespace, '-o', 'yaml'])).stdout) as { items: GsView[] };
    expect(yaml.items).toHaveLength(3);
    expect((await kubectlGs(['list', '-n', namespace, '-o', 'name', '--state', 'Ready'])).stdout).toBe(
      'gameserver.game.kruise.io/room-0\ngameserver.game.kruise.io/room-1\ngameserver.game.kruise.io/room-2\n',
    );
    const none = await kubectlGs(['list', '-n', namespace, '--ops-state', 'Maintaining']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: `No resources found in ${namespace} namespace.\n` });
  });

  it('refuses a bad output format with exit code 1 and an error on stderr', async () => {
    const result = await kubectlGs(['list', '-n', namespace, '-o', 'table']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/argument 'table' is invalid/);
  });
});

describe('kubeconfig resolution', () => {
  it('follows --kubeconfig, $KUBECONFIG, --context and the namespace of the context, as kubectl does', async () => {
    interface KubeConfigFile {
      clusters: { name: string; cluster: Record<string, unknown> }[];
      contexts: { name: string; context: Record<string, unknown> }[];
      'current-context': string;
    }
    const admin = parseYaml(readFileSync(e2eEnvironment().kubeconfigPath, 'utf8')) as KubeConfigFile;
    const context = admin.contexts[0]!;
    // The current context points at a server that is not there; "games" is the real cluster with this test's namespace.
    const file: KubeConfigFile = {
      ...admin,
      clusters: [...admin.clusters, { name: 'nowhere', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      contexts: [
        { name: 'broken', context: { ...context.context, cluster: 'nowhere' } },
        { name: 'games', context: { ...context.context, namespace } },
      ],
      'current-context': 'broken',
    };
    const path = join(e2eEnvironment().runDir, `kubectl-gs-${namespace}.kubeconfig`);
    writeFileSync(path, toYaml(file), { mode: 0o600 });

    const broken = await kubectlGs(['list', '--kubeconfig', path]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe('Unable to connect to the server: connect ECONNREFUSED 127.0.0.1:1\n');
    const names = 'gameserver.game.kruise.io/room-0\ngameserver.game.kruise.io/room-1\ngameserver.game.kruise.io/room-2\n';
    expect(await kubectlGs(['list', '--kubeconfig', path, '--context', 'games', '-o', 'name'])).toMatchObject({ code: 0, stdout: names });
    expect(await kubectlGs(['list', '--context', 'games', '-o', 'name'], 60_000, path)).toMatchObject({ code: 0, stdout: names });
    expect(await kubectlGs(['list', '--context', 'games', '-n', 'default', '-o', 'name'], 60_000, path)).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('kubectl gs set', () => {
  it('sets opsState and priorities; --if-ops-state skips the others; --dry-run stores nothing', async () => {
    const allocate = await kubectlGs(['set', 'room-0', '-n', namespace, '--ops-state', 'Allocated']);
    expect(allocate).toMatchObject({ code: 0, stdout: 'gameserver.game.kruise.io/room-0 patched\n1 changed, 0 unchanged, 0 skipped, 0 failed\n' });

    const dry = await kubectlGs(['set', '--set', 'room', '-n', namespace, '--ops-state', 'Maintaining', '--if-ops-state', 'None', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        'gameserver.game.kruise.io/room-0 skipped: opsState is Allocated, not None',
        'gameserver.game.kruise.io/room-1 patched (server dry run)',
        'gameserver.game.kruise.io/room-2 patched (server dry run)',
        '2 changed, 0 unchanged, 1 skipped, 0 failed',
        '',
      ].join('\n'),
    );
    expect([...(await gameServers()).values()].map((gs) => gs.spec.opsState)).toEqual(['Allocated', 'None', 'None']);

    const priorities = await kubectlGs(['set', 'room-1', 'room-2', '-n', namespace, '--deletion-priority', '5', '--update-priority', '3']);
    expect(priorities.code).toBe(0);
    const rooms = await gameServers();
    expect(rooms.get('room-1')!.spec).toMatchObject({ deletionPriority: 5, updatePriority: 3 });
    expect(rooms.get('room-2')!.spec).toMatchObject({ deletionPriority: 5, updatePriority: 3 });
    const again = await kubectlGs(['set', 'room-1', '-n', namespace, '--deletion-priority', '5']);
    expect(again.stdout).toBe('gameserver.game.kruise.io/room-1 patched (no change)\n0 changed, 1 unchanged, 0 skipped, 0 failed\n');
  });

  it('skips and reports a room allocated between the read and the write', async () => {
    // room-2 is allocated (by another client) after the plugin read it as None and before it writes.
    const result = await kubectlGsInProcess(['set', '-n', namespace, '--set', 'room', '--ops-state', 'WaitToBeDeleted', '--if-ops-state', 'None'], async (room) => {
      if (room.name === 'room-2') await kubectl(['patch', 'gs', 'room-2', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);
    });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'gameserver.game.kruise.io/room-0 skipped: opsState is Allocated, not None',
        'gameserver.game.kruise.io/room-1 patched',
        'gameserver.game.kruise.io/room-2 skipped: opsState changed from None to Allocated since it was read',
        '1 changed, 0 unchanged, 2 skipped, 0 failed',
        '',
      ].join('\n'),
    });
    const rooms = await gameServers();
    expect(['room-0', 'room-1', 'room-2'].map((name) => rooms.get(name)!.spec.opsState)).toEqual(['Allocated', 'WaitToBeDeleted', 'Allocated']);
    for (const name of ['room-1', 'room-2']) await kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"None"}}']);
  });

  it('exits 1 when a room is missing or the arguments are wrong, with the error on stderr', async () => {
    const missing = await kubectlGs(['set', 'room-1', 'room-9', '-n', namespace, '--ops-state', 'None']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): gameservers.game.kruise.io "room-9" not found\n');
    expect(missing.stdout).toBe('gameserver.game.kruise.io/room-1 patched (no change)\n0 changed, 1 unchanged, 0 skipped, 1 failed\n');
    const badNumber = await kubectlGs(['set', 'room-1', '-n', namespace, '--deletion-priority', 'high']);
    expect(badNumber.code).toBe(1);
    expect(badNumber.stderr).toMatch(/option '--deletion-priority <n>' argument 'high' is invalid\. want a non-negative integer/);
    const noTarget = await kubectlGs(['set', '-n', namespace, '--ops-state', 'None']);
    expect(noTarget).toMatchObject({ code: 1, stderr: 'error: name the rooms: ROOM..., --set SET or -l SELECTOR\n' });
    const invalid = await kubectlGs(['set', 'room-1', '-n', namespace, '--ops-state', 'not a label value']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/room-1 failed: Error from server \(Invalid\)/);
  });
});

describe('kubectl gs describe', () => {
  it('shows the room, its conditions and its events', async () => {
    const result = await kubectlGs(['describe', 'room-0', '-n', namespace]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Name: +room-0$/m);
    expect(result.stdout).toMatch(/^GameServerSet: +room$/m);
    expect(result.stdout).toMatch(/^State: +Ready$/m);
    expect(result.stdout).toMatch(/^OpsState: +Allocated$/m);
    expect(result.stdout).toMatch(/^Conditions:\n {2}Type +Status/m);
    expect(result.stdout).toMatch(/^Service Qualities:\n {2}<none>$/m);
    expect(result.stdout).toMatch(/^Events:\n {2}Type +Reason +Age +From +Object +Message\n/m);
    const missing = await kubectlGs(['describe', 'nope', '-n', namespace]);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Error from server (NotFound): gameservers.game.kruise.io "nope" not found\n' });
  });
});

describe('kubectl gs kill and reserve', () => {
  it('kill deletes the room and lowers replicas; reserve takes an id out', async () => {
    const kill = await kubectlGs(['kill', 'room-2', '-n', namespace]);
    expect(kill).toMatchObject({ code: 0, stdout: 'gameserver.game.kruise.io/room-2 patched\n1 changed, 0 unchanged, 0 skipped, 0 failed\n' });
    await eventually(() => roomsReady('room', ['room-0', 'room-1']), { description: 'room-2 killed', timeoutMs: 60_000 });
    await eventually(async () => (await readSet(namespace, 'room')).spec.replicas === 2, { description: 'replicas lowered to 2' });

    const reserve = await kubectlGs(['reserve', 'room', '1', '-n', namespace]);
    expect(reserve.code).toBe(0);
    expect(reserve.stdout).toBe('gameserverset.game.kruise.io/room patched\nreserved ids: 1; rooms taken out: room-1; replicas 2 -> 1\n');
    expect((await readSet(namespace, 'room')).spec).toMatchObject({ replicas: 1, reserveGameServerIds: [1] });
    await eventually(() => roomsReady('room', ['room-0']), { description: 'room-1 reserved away', timeoutMs: 60_000 });
  });
});

describe('kubectl gs release', () => {
  it('releases a new image without touching rooms in use, and resumes after a timeout', async () => {
    await applySet(namespace, gameServerSet('mc', 3, {}, oneContainer));
    await eventually(() => roomsReady('mc', ['mc-0', 'mc-1', 'mc-2']), { description: 'mc rooms Ready', timeoutMs: 60_000 });
    await kubectl(['patch', 'gs', 'mc-0', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);

    const first = await kubectlGs(['release', 'mc', '-n', namespace, '--image', 'game=example.com/game:2.0', '--timeout', '1ms']);
    expect(first.stderr).toMatch(/error: timed out waiting for the new rooms: .*; run the same command again to continue the release\n$/);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe(
      'gameserverset.game.kruise.io/mc updateStrategy set to OnDelete\ngameserverset.game.kruise.io/mc image game=example.com/game:2.0, replicas 3 -> 6 (3 new rooms)\n',
    );
    expect(first.stderr).toMatch(/error: timed out waiting for the new rooms: .*; run the same command again to continue the release\n$/);

    // The second run continues (no second scale-out); mc-2 gets players just before it would be retired.
    const second = await kubectlGsInProcess(['release', 'mc', '-n', namespace, '--image', 'game=example.com/game:2.0', '--timeout', '2m'], async (room) => {
      if (room.name === 'mc-2') await kubectl(['patch', 'gs', 'mc-2', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);
    });
    expect(second.stdout).toBe(
      [
        '3 new rooms Ready',
        'gameserver.game.kruise.io/mc-1 patched',
        'gameserver.game.kruise.io/mc-2 skipped: opsState changed from None to Allocated since it was read',
        'old rooms marked WaitToBeDeleted: 1; remove them with a scale-in or let the autoscaler do it',
        'old rooms still holding players (left running): 2',
        '  mc-0\tAllocated',
        '  mc-2\topsState changed from None to Allocated since it was read',
        '',
      ].join('\n'),
    );
    expect(second.code).toBe(0);
    const set = await readSet(namespace, 'mc');
    expect(set.spec).toMatchObject({ replicas: 6, updateStrategy: { type: 'OnDelete' } });
    const rooms = await gameServers();
    expect(['mc-0', 'mc-1', 'mc-2', 'mc-3', 'mc-4', 'mc-5'].map((name) => rooms.get(name)?.spec.opsState)).toEqual([
      'Allocated',
      'WaitToBeDeleted',
      'Allocated',
      'None',
      'None',
      'None',
    ]);
    const list = tableRows((await kubectlGs(['list', 'mc', '-n', namespace])).stdout);
    expect(list.slice(1).map((row) => [row[0], row[5]])).toEqual([
      ['mc-0', 'old'],
      ['mc-1', 'old'],
      ['mc-2', 'old'],
      ['mc-3', 'new'],
      ['mc-4', 'new'],
      ['mc-5', 'new'],
    ]);
  });
});
