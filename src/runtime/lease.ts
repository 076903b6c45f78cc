// The Lease record of leader election and the pure decision client-go's
// tryAcquireOrRenew makes on it. Expiry is judged by when *we* last saw the
// record change (local clock), never by the holder's renewTime, so clock skew
// between replicas does not matter.
import { HttpMethod } from './kube-client.js';
import { isAlreadyExists, isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './object.js';
import { LEASES, resourcePath } from './resource.js';
import { ConflictError } from './write-errors.js';
import { writer } from './writes.js';

export interface LeaseRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

/** The record as last seen, and the local time it was first seen in that form. */
export interface LeaseObservation {
  readonly record: LeaseRecord;
  readonly observedAt: number;
}

export type LeaseDecision =
  | { readonly action: 'create'; readonly record: LeaseRecord }
  | { readonly action: 'update'; readonly record: LeaseRecord; readonly acquiring: boolean }
  | { readonly action: 'wait'; readonly holder: string; readonly expiresAt: number };

export interface LeaseDecisionInput {
  /** The stored record; undefined when the Lease does not exist. */
  readonly current: LeaseRecord | undefined;
  readonly observation: LeaseObservation | undefined;
  readonly identity: string;
  readonly now: number;
  readonly leaseDurationMs: number;
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export function toMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/** The observation after seeing `current` at `now`: unchanged records keep their first-seen time. */
export function observe(current: LeaseRecord, previous: LeaseObservation | undefined, now: number): LeaseObservation {
  return previous && sameRecord(previous.record, current) ? previous : { record: current, observedAt: now };
}

/** Create the Lease, take it over (free or expired), renew it (ours), or wait (someone else's, not expired). */
export function decideLease(input: LeaseDecisionInput): { decision: LeaseDecision; observation: LeaseObservation | undefined } {
  const { current, identity, now, leaseDurationMs } = input;
  const durationSeconds = Math.max(1, Math.round(leaseDurationMs / 1000));
  const stamp = toMicroTime(now);
  if (!current) {
    const record: LeaseRecord = { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 };
    return { decision: { action: 'create', record }, observation: input.observation };
  }
  const observation = observe(current, input.observation, now);
  const holder = current.holderIdentity ?? '';
  if (holder && holder !== identity) {
    const heldForMs = (current.leaseDurationSeconds ?? durationSeconds) * 1000;
    const expiresAt = observation.observedAt + heldForMs;
    if (expiresAt > now) return { decision: { action: 'wait', holder, expiresAt }, observation };
  }
  if (holder === identity) {
    const record: LeaseRecord = { ...current, leaseDurationSeconds: durationSeconds, renewTime: stamp };
    return { decision: { action: 'update', record, acquiring: false }, observation };
  }
  const record: LeaseRecord = {
    holderIdentity: identity,
    leaseDurationSeconds: durationSeconds,
    acquireTime: stamp,
    renewTime: stamp,
    leaseTransitions: (current.leaseTransitions ?? 0) + 1,
  };
  return { decision: { action: 'update', record, acquiring: true }, observation };
}

/** The record that gives a Lease up: no holder, so any candidate takes it at once. */
export function releasedRecord(current: LeaseRecord, now: number): LeaseRecord {
  const stamp = toMicroTime(now);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: current.leaseTransitions ?? 0 };
}

/** Reads and writes one Lease. `create` and `update` resolve false when another writer won (409). */
export interface LeaseClient {
  get(signal?: AbortSignal): Promise<{ record: LeaseRecord; resourceVersion: string } | undefined>;
  create(record: LeaseRecord, signal?: AbortSignal): Promise<boolean>;
  update(record: LeaseRecord, resourceVersion: string, signal?: AbortSignal): Promise<boolean>;
}

interface LeaseObject {
  metadata?: { resourceVersion?: string };
  spec?: LeaseRecord;
}

export class ApiLeaseClient implements LeaseClient {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly name: string,
  ) {}

  async get(signal?: AbortSignal): Promise<{ record: LeaseRecord; resourceVersion: string } | undefined> {
    try {
      const lease = await this.client.request<LeaseObject>(HttpMethod.GET, resourcePath(LEASES, this.namespace, this.name), { signal });
      return { record: lease.spec ?? {}, resourceVersion: lease.metadata?.resourceVersion ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(record: LeaseRecord, signal?: AbortSignal): Promise<boolean> {
    try {
      await writer(this.client, LEASES).create(this.body(record), signal ? { signal } : {});
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  }

  async update(record: LeaseRecord, resourceVersion: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await writer(this.client, LEASES).replace(this.namespace, this.name, this.body(record), {
        ...(resourceVersion ? { precondition: { resourceVersion } } : {}),
        ...(signal ? { signal } : {}),
      });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  private body(record: LeaseRecord): KubeObject & { spec: LeaseRecord } {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: record,
    };
  }
}
