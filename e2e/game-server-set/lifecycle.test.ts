// OpenKruise lifecycle hooks on a GameServerSet (spec.lifecycle), with the
// whole operator: a hook holds a room before it is deleted or updated in
// place until another tool (here: kubectl) releases it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, containerStatus, core, gameServerSet, isReady, livePods, patchSet, podsReady, readSet, sorted, uids } from './harness.js';

let namespace: string;
let operator: TestOperator;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-lifecycle');
  operator = await startOperator({ namespaces: [namespace] });
});
afterEach(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

const BLOCK = 'example.com/block-deletion';
const names = (...ordinals: number[]) => ordinals.map((o) => `web-${o}`);
const stateOf = (pod: V1Pod | undefined) => pod?.metadata?.labels?.['lifecycle.apps.kruise.io/state'];
const condition = (pod: V1Pod | undefined, type: string) => pod?.status?.conditions?.find((c) => c.type === type);
const sidecarImage = (pod: V1Pod | undefined) => pod?.spec?.containers.find((c) => c.name === 'sidecar')?.image;

/** A set whose pods carry the hook label from the template (every room starts held). */
function heldSet(replicas: number, lifecycle: Record<string, unknown>, spec: Record<string, unknown> = {}): Record<string, unknown> {
  const set = gameServerSet('web', replicas, { lifecycle, ...spec });
  const template = (set.spec as { gameServerTemplate: { metadata: { labels: Record<string, string> } } }).gameServerTemplate;
  template.metadata.labels[BLOCK] = 'true';
  return set;
}

async function pod(name: string): Promise<V1Pod | undefined> {
  return (await livePods(namespace, 'web')).get(name);
}

async function gameServerState(name: string): Promise<string | undefined> {
  return (await kubectl(['get', 'gs', name, '-n', namespace, '-o', 'jsonpath={.status.currentState}'])).trim() || undefined;
}

async function podGone(name: string, uid: string | undefined): Promise<boolean> {
  const list = await core().listNamespacedPod({ namespace });
  return !list.items.some((p) => p.metadata?.name === name && p.metadata.uid === uid);
}

/** Polls `check` for `ms` and fails if it ever returns false: the hook keeps holding. */
async function holdsFor(ms: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    expect(await check()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('lifecycle hooks', () => {
  it('preDelete labelsHandler: a scale-down keeps the pod PreparingDelete (GameServer PreDelete, PREDELETE 1, its id not reused) until the label goes', async () => {
    await applySet(namespace, heldSet(3, { preDelete: { labelsHandler: { [BLOCK]: 'true' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=2']);
    await eventually(async () => stateOf(await pod('web-2')) === 'PreparingDelete', { description: 'web-2 PreparingDelete' });
    await eventually(async () => (await gameServerState('web-2')) === 'PreDelete', { description: 'GameServer web-2 PreDelete' });
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.preDeleteReplicas === 1 && s.replicas === 2 ? s : false;
    });
    expect(status).toMatchObject({ currentReplicas: 3, readyReplicas: 2 });
    const table = await kubectl(['get', 'gss', 'web', '-n', namespace]);
    expect(table.split('\n')[0]).toContain('PREDELETE');

    // A scale-up meanwhile creates a replacement on another id.
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=3']);
    const grown = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 3)), { description: 'web-3 created beside web-2' });
    expect(grown.get('web-2')?.metadata?.uid).toBe(before.get('web-2')?.metadata?.uid);
    expect(stateOf(grown.get('web-2'))).toBe('PreparingDelete');

    await kubectl(['label', 'pod', 'web-2', '-n', namespace, `${BLOCK}-`]);
    await eventually(() => podGone('web-2', before.get('web-2')?.metadata?.uid), { description: 'web-2 deleted once released' });
    const after = await eventually(() => podsReady(namespace, 'web', names(0, 1, 3)));
    expect(after.get('web-0')?.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
    await eventually(async () => (await readSet(namespace, 'web')).status?.preDeleteReplicas === 0, { description: 'PREDELETE 0' });
  });

  it('preDelete finalizersHandler: the pod waits in PreparingDelete while it has the finalizer', async () => {
    const FINALIZER = 'example.com/room-open';
    await applySet(namespace, gameServerSet('web', 2, { lifecycle: { preDelete: { finalizersHandler: [FINALIZER] } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1)));
    await kubectl(['patch', 'pod', 'web-1', '-n', namespace, '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [FINALIZER] } })]);
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=0']);
    await eventually(() => podGone('web-0', before.get('web-0')?.metadata?.uid), { description: 'web-0 (no finalizer) deleted at once' });
    await eventually(async () => stateOf(await pod('web-1')) === 'PreparingDelete', { description: 'web-1 PreparingDelete' });
    await holdsFor(2_000, async () => stateOf(await pod('web-1')) === 'PreparingDelete');
    await kubectl(['patch', 'pod', 'web-1', '-n', namespace, '--type=json', '-p', JSON.stringify([{ op: 'remove', path: '/metadata/finalizers' }])]);
    await eventually(() => podGone('web-1', before.get('web-1')?.metadata?.uid), { description: 'web-1 deleted once released' });
  });

  it('preDelete markPodNotReady: the waiting pod is NotReady (KruisePodReady False), out of its Services', async () => {
    await applySet(namespace, heldSet(2, { preDelete: { labelsHandler: { [BLOCK]: 'true' }, markPodNotReady: true } }));
    await eventually(() => podsReady(namespace, 'web', names(0, 1)));
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=1']);
    const waiting = await eventually(async () => {
      const p = await pod('web-1');
      return stateOf(p) === 'PreparingDelete' && !isReady(p!) && condition(p, 'KruisePodReady')?.status === 'False' ? p! : false;
    }, { description: 'web-1 PreparingDelete and NotReady' });
    expect(JSON.parse(condition(waiting, 'KruisePodReady')?.message ?? '[]')).toEqual([{ userAgent: 'Lifecycle', key: 'preDeleteHook' }]);
    await holdsFor(1_500, async () => !isReady((await pod('web-1'))!));
    expect(isReady((await pod('web-0'))!)).toBe(true);
  });

  it('inPlaceUpdate: a hot update waits in PreparingUpdate (GameServer PreUpdate) until the hook releases the pod, then patches in place', async () => {
    await applySet(
      namespace,
      heldSet(1, { inPlaceUpdate: { labelsHandler: { [BLOCK]: 'true' }, markPodNotReady: true } }, { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }),
    );
    const before = await eventually(() => podsReady(namespace, 'web', names(0)));
    await patchSet(namespace, 'web', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }], 'json');
    await eventually(async () => stateOf(await pod('web-0')) === 'PreparingUpdate', { description: 'web-0 PreparingUpdate' });
    await eventually(async () => (await gameServerState('web-0')) === 'PreUpdate', { description: 'GameServer web-0 PreUpdate' });
    await eventually(async () => !isReady((await pod('web-0'))!), { description: 'markPodNotReady: web-0 NotReady' });
    await eventually(async () => (await pod('web-0'))?.metadata?.annotations?.['game.kruise.io/gs-updating-containers'] === 'sidecar', {
      description: 'gs-updating-containers names the sidecar during PreUpdate',
    });
    await holdsFor(2_000, async () => sidecarImage(await pod('web-0')) === 'example.com/sidecar:0.1');

    await kubectl(['label', 'pod', 'web-0', '-n', namespace, `${BLOCK}-`]);
    const updated = await eventually(
      async () => {
        const p = await pod('web-0');
        return p && containerStatus(p, 'sidecar')?.image === 'example.com/sidecar:0.2' && isReady(p) && stateOf(p) === 'Updated' ? p : false;
      },
      { description: 'web-0 updated in place, Updated (hook label not back)', timeoutMs: 90_000 },
    );
    expect(updated.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
    expect(containerStatus(updated, 'sidecar')?.restartCount).toBe(1);
    expect(containerStatus(updated, 'game')?.restartCount).toBe(0);
    await kubectl(['label', 'pod', 'web-0', '-n', namespace, `${BLOCK}=true`]);
    await eventually(async () => stateOf(await pod('web-0')) === 'Normal', { description: 'Normal once the hook label is back' });
    await eventually(async () => (await pod('web-0'))?.metadata?.annotations?.['game.kruise.io/gs-updating-containers'] === undefined, {
      description: 'gs-updating-containers removed after the update',
    });
  });

  it('AllowNotReadyContainers (HostPort, no Service): the network controller lifts the inplace-update-not-ready-blocker for the update and puts it back; the pod ends Normal', async () => {
    const BLOCKER = 'game.kruise.io/inplace-update-not-ready-blocker';
    const set = gameServerSet('web', 2, {
      network: {
        networkType: 'Kubernetes-HostPort',
        networkConf: [
          { name: 'ContainerPorts', value: 'game:7777/UDP' },
          { name: 'AllowNotReadyContainers', value: 'sidecar' },
        ],
      },
      updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } },
    });
    await applySet(namespace, set);
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1)));
    // OKG's handshake: every pod carries blocker=true, which holds the inPlaceUpdate hook.
    await eventually(async () => (await pod('web-0'))?.metadata?.labels?.[BLOCKER] === 'true' && (await pod('web-1'))?.metadata?.labels?.[BLOCKER] === 'true', {
      description: 'blocker=true on both pods',
    });
    await patchSet(namespace, 'web', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }], 'json');
    // Both pods update one after the other (maxUnavailable 1): neither stays Updated (unavailable) for want of the label.
    for (const name of ['web-0', 'web-1']) {
      const updated = await eventually(
        async () => {
          const p = await pod(name);
          return p && containerStatus(p, 'sidecar')?.image === 'example.com/sidecar:0.2' && isReady(p) && stateOf(p) === 'Normal' && p.metadata?.labels?.[BLOCKER] === 'true' ? p : false;
        },
        { description: `${name} updated in place, Normal, blocker back`, timeoutMs: 90_000 },
      );
      expect(updated.metadata?.uid).toBe(before.get(name)?.metadata?.uid);
    }
  });

  it('preNormal: a new pod stays PreparingNormal (not available) until it carries the hook label', async () => {
    await applySet(namespace, gameServerSet('web', 1, { lifecycle: { preNormal: { labelsHandler: { 'example.com/registered': 'true' } } } }));
    await eventually(async () => stateOf(await pod('web-0')) === 'PreparingNormal', { description: 'web-0 PreparingNormal' });
    await eventually(async () => (await readSet(namespace, 'web')).status?.readyReplicas === 1, { description: 'web-0 ready' });
    await holdsFor(1_500, async () => stateOf(await pod('web-0')) === 'PreparingNormal' && (await readSet(namespace, 'web')).status?.availableReplicas === 0);
    await kubectl(['label', 'pod', 'web-0', '-n', namespace, 'example.com/registered=true']);
    await eventually(async () => stateOf(await pod('web-0')) === 'Normal', { description: 'web-0 Normal once registered' });
    await eventually(async () => (await readSet(namespace, 'web')).status?.availableReplicas === 1, { description: 'web-0 available' });
  });

  it('a change of spec.lifecycle applies to existing pods: dropping preDelete releases a waiting pod', async () => {
    await applySet(namespace, heldSet(2, { preDelete: { labelsHandler: { [BLOCK]: 'true' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1)));
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=1']);
    await eventually(async () => stateOf(await pod('web-1')) === 'PreparingDelete', { description: 'web-1 PreparingDelete' });
    await patchSet(namespace, 'web', [{ op: 'remove', path: '/spec/lifecycle' }], 'json');
    await eventually(() => podGone('web-1', before.get('web-1')?.metadata?.uid), { description: 'web-1 deleted once the hook is gone from the spec' });
  });

  it('ReCreate update with preDelete: the old pod waits in PreparingDelete while its replacement runs the new template', async () => {
    await applySet(namespace, heldSet(1, { preDelete: { labelsHandler: { [BLOCK]: 'true' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0)));
    await patchSet(namespace, 'web', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }], 'json');
    const both = await eventually(
      async () => {
        const pods = await livePods(namespace, 'web');
        return stateOf(pods.get('web-0')) === 'PreparingDelete' && sidecarImage(pods.get('web-1')) === 'example.com/sidecar:0.2' ? pods : false;
      },
      { description: 'web-0 PreparingDelete, web-1 on the new template' },
    );
    expect(both.get('web-0')?.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
    expect(sidecarImage(both.get('web-0'))).toBe('example.com/sidecar:0.1');
    await kubectl(['label', 'pod', 'web-0', '-n', namespace, `${BLOCK}-`]);
    await eventually(() => podGone('web-0', before.get('web-0')?.metadata?.uid), { description: 'web-0 deleted once released' });
    const after = await eventually(() => podsReady(namespace, 'web', names(1)));
    expect(sorted(after.keys())).toEqual(['web-1']);
  });

  it('Kill with preDelete: replicas go down by one and the killed room waits for its hook', async () => {
    await applySet(namespace, heldSet(2, { preDelete: { labelsHandler: { [BLOCK]: 'true' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1)));
    await eventually(async () => (await kubectl(['get', 'gs', 'web-0', '-n', namespace, '-o', 'name'])).trim() !== '');
    await kubectl(['patch', 'gs', 'web-0', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState: 'Kill' } })]);
    await eventually(async () => (await readSet(namespace, 'web')).metadata && (await readSet(namespace, 'web')).spec.replicas === 1, { description: 'replicas 1' });
    await eventually(async () => stateOf(await pod('web-0')) === 'PreparingDelete', { description: 'web-0 PreparingDelete' });
    await holdsFor(1_500, async () => (await livePods(namespace, 'web')).size === 2);
    await kubectl(['label', 'pod', 'web-0', '-n', namespace, `${BLOCK}-`]);
    await eventually(() => podGone('web-0', before.get('web-0')?.metadata?.uid), { description: 'web-0 deleted once released' });
    const after = await eventually(() => podsReady(namespace, 'web', names(1)));
    expect(uids(after)).toEqual({ 'web-1': before.get('web-1')?.metadata?.uid });
  });
});
