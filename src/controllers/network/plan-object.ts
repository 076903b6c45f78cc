// What to do about one object a plugin wants (pure): create it, leave it,
// rewrite it (the hash of what the plugin wrote differs), or wait for the
// garbage collector to remove a copy owned by an earlier pod of the same name.
import { createHash } from 'node:crypto';
import { NETWORK_KEYS } from '../../api/constants.js';
import { canonicalJson } from '../game-server-set/plan/canonical-json.js';
import type { DesiredObject, ObjectKind } from './types.js';

export const HASH_ANNOTATION: Readonly<Record<ObjectKind, string>> = { Service: NETWORK_KEYS.serviceHash, Ingress: NETWORK_KEYS.ingressHash };

/** An object as the cache holds it. */
export interface ObservedObject {
  readonly metadata?: {
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly deletionTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly kind: string; readonly uid: string; readonly controller?: boolean }[];
  };
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export type ObjectPlan =
  | { readonly kind: 'create'; readonly body: Record<string, unknown> }
  | { readonly kind: 'replace'; readonly body: Record<string, unknown> }
  | { readonly kind: 'keep' }
  | { readonly kind: 'waitForGarbageCollection'; readonly reason: string };

/** Hash of what the plugin wants: 10 hex characters of sha256 over its canonical JSON. */
export function desiredHash(desired: DesiredObject): string {
  const { metadata, spec } = desired.manifest;
  return createHash('sha256')
    .update(canonicalJson({ labels: metadata.labels, annotations: metadata.annotations, ownerReferences: metadata.ownerReferences, spec }))
    .digest('hex')
    .slice(0, 10);
}

export function planObject(desired: DesiredObject, observed: ObservedObject | undefined): ObjectPlan {
  const hash = desiredHash(desired);
  const hashKey = HASH_ANNOTATION[desired.kind];
  const manifest = desired.manifest;
  const annotations = { ...manifest.metadata.annotations, [hashKey]: hash };
  if (observed === undefined) return { kind: 'create', body: { ...manifest, metadata: { ...manifest.metadata, annotations } } };
  if (observed.metadata?.deletionTimestamp) return { kind: 'waitForGarbageCollection', reason: `${desired.kind} is being deleted` };
  const owner = observed.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  const wanted = manifest.metadata.ownerReferences[0];
  // A per-pod object of an earlier pod of this name: the garbage collector removes it (it must not pass to the new pod).
  if (owner?.kind === 'Pod' && wanted?.kind === 'Pod' && owner.uid !== wanted.uid) {
    return { kind: 'waitForGarbageCollection', reason: `${desired.kind} belongs to an earlier pod` };
  }
  if (observed.metadata?.annotations?.[hashKey] === hash) return { kind: 'keep' };
  return { kind: 'replace', body: replacement(desired, observed, annotations) };
}

/**
 * The observed object rewritten to what the plugin wants, as of its
 * resourceVersion. A Service keeps its allocated fields (clusterIP, the node
 * port of each port that stays) and others' annotations; an Ingress's
 * annotations are the conf's (OKG rewrites them whole).
 */
function replacement(desired: DesiredObject, observed: ObservedObject, annotations: Record<string, string>): Record<string, unknown> {
  const manifest = desired.manifest;
  const metadata = {
    ...observed.metadata,
    labels: { ...observed.metadata?.labels, ...manifest.metadata.labels },
    annotations: desired.kind === 'Service' ? { ...observed.metadata?.annotations, ...annotations } : annotations,
    ownerReferences: manifest.metadata.ownerReferences,
  };
  if (desired.kind !== 'Service') return { ...observed, metadata, spec: manifest.spec };
  type Port = { port?: number; protocol?: string; nodePort?: number };
  const observedPorts = (observed.spec?.ports ?? []) as Port[];
  const ports = ((manifest.spec.ports ?? []) as Port[]).map((port) => {
    const kept = observedPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    return kept?.nodePort !== undefined && manifest.spec.type === 'NodePort' ? { ...port, nodePort: kept.nodePort } : port;
  });
  const { publishNotReadyAddresses: _publish, ...observedSpec } = observed.spec ?? {};
  return { ...observed, metadata, spec: { ...observedSpec, ...manifest.spec, ports } };
}
