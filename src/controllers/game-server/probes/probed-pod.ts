// A cached pod → what the prober needs of it.
import { LABELS } from '../../../api/constants.js';
import type { PodLike } from '../types.js';
import { toMillis } from '../time.js';
import type { ProbedPod } from './service-quality-prober.js';

export function toProbedPod(pod: PodLike & { spec?: { hostNetwork?: boolean } }): ProbedPod {
  const startedAt = new Map<string, number>();
  for (const status of pod.status?.containerStatuses ?? []) {
    const ms = toMillis(status.state?.running?.startedAt);
    if (ms !== undefined) startedAt.set(status.name, ms);
  }
  const podIP = pod.status?.podIP;
  const hostIP = pod.status?.hostIP;
  const setName = pod.metadata?.labels?.[LABELS.ownerGss];
  return {
    namespace: pod.metadata?.namespace ?? '',
    podName: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    ...(setName ? { setName } : {}),
    containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, ...(c.ports ? { ports: c.ports } : {}) })),
    ...(podIP ? { podIP } : {}),
    ...(hostIP ? { hostIP } : {}),
    ...(pod.spec?.hostNetwork ? { hostNetwork: true } : {}),
    probeable: pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp,
    startedAt,
  };
}
