// The event recorder: core/v1 Events in the form kube-eventer reads (type,
// CamelCase reason, involvedObject with uid, source.component,
// firstTimestamp/lastTimestamp, count; no eventTime, which would switch the
// API server to events.k8s.io's strict validation). Repeats of the same
// (object, type, reason, message) bump `count` and `lastTimestamp` of one
// Event; each object is rate-limited. Recording never throws and never
// blocks a reconcile: writes run in the background, failures are logged.
import { ClientFencedError } from './kube-client.js';
import type { Logger } from 'winston';
import { EventAggregator, type EventAggregatorOptions, type EventKey, type EventPlan } from './event-aggregator.js';
import { isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './object.js';
import { EVENTS } from './resource.js';
import { mergePatch, writer } from './writes.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Records an event about `object` (which must carry apiVersion, kind, name and uid). */
  event(object: KubeObject, type: EventType, reason: string, message: string): void;
  warning(object: KubeObject, reason: string, message: string): void;
  normal(object: KubeObject, reason: string, message: string): void;
}

/** The core/v1 Event body as written. */
export interface CoreEvent {
  readonly apiVersion: 'v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly involvedObject: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
  };
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly source: { readonly component: string; readonly host?: string };
  readonly reportingComponent: string;
  readonly reportingInstance: string;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly count: number;
}

/** Where events go; the API server in production. */
export interface EventSink {
  create(event: CoreEvent): Promise<void>;
  patch(namespace: string, name: string, patch: { count: number; lastTimestamp: string }): Promise<void>;
}

export class ApiEventSink implements EventSink {
  constructor(private readonly client: KubeClient) {}

  async create(event: CoreEvent): Promise<void> {
    await writer(this.client, EVENTS).create(event);
  }

  async patch(namespace: string, name: string, patch: { count: number; lastTimestamp: string }): Promise<void> {
    await writer(this.client, EVENTS).patch(namespace, name, mergePatch(patch));
  }
}

export interface KubeEventRecorderOptions {
  readonly sink: EventSink;
  /** source.component and reportingComponent (e.g. `gamekeeper`). */
  readonly component: string;
  /** reportingInstance and source.host (e.g. the pod name). */
  readonly instance: string;
  readonly logger: Logger;
  readonly aggregation?: EventAggregatorOptions;
  readonly now?: () => number;
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function toKubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const MAX_MESSAGE = 1024;

export class KubeEventRecorder implements EventRecorder {
  private readonly aggregator: EventAggregator;
  private readonly now: () => number;
  /** Writes per aggregation key run one after the other (a patch never overtakes its create). */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: KubeEventRecorderOptions) {
    this.aggregator = new EventAggregator(options.aggregation);
    this.now = options.now ?? Date.now;
  }

  warning(object: KubeObject, reason: string, message: string): void {
    this.event(object, 'Warning', reason, message);
  }

  normal(object: KubeObject, reason: string, message: string): void {
    this.event(object, 'Normal', reason, message);
  }

  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    const meta = object.metadata;
    if (!meta?.name || !meta.uid) {
      this.options.logger.warn('not recording an event about an object without name or uid', { reason, kind: object.kind });
      return;
    }
    const truncated = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    const key: EventKey = { uid: meta.uid, objectName: meta.name, type, reason, message: truncated };
    const plan = this.aggregator.plan(key, this.now());
    if (plan.action === 'drop') {
      this.options.logger.debug('event dropped by the per-object rate limit', { reason, name: meta.name, namespace: meta.namespace });
      return;
    }
    const chainKey = `${key.uid}\u0000${type}\u0000${reason}\u0000${truncated}`;
    const previous = this.chains.get(chainKey) ?? Promise.resolve();
    const next = previous.then(() => this.write(object, key, plan));
    this.chains.set(chainKey, next);
    void next.finally(() => {
      if (this.chains.get(chainKey) === next) this.chains.delete(chainKey);
    });
  }

  /** Resolves when every event recorded so far has been written or has failed. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private async write(object: KubeObject, key: EventKey, plan: Exclude<EventPlan, { action: 'drop' }>): Promise<void> {
    const namespace = object.metadata?.namespace || 'default';
    try {
      if (plan.action === 'patch') {
        try {
          await this.options.sink.patch(namespace, plan.name, { count: plan.count, lastTimestamp: toKubeTime(plan.lastTimestamp) });
          return;
        } catch (error) {
          if (!isNotFound(error)) throw error;
          // The Event expired (1 h TTL) or was deleted: write it again with the aggregated count.
        }
      }
      await this.options.sink.create(this.body(object, namespace, key, plan));
    } catch (error) {
      this.aggregator.forget(key);
      // A fenced client (leadership lost) drops every write; the loss itself is logged once, by the elector.
      if (error instanceof ClientFencedError) return;
      this.options.logger.warn('failed to write event', { err: error, reason: key.reason, name: key.objectName, namespace });
    }
  }

  private body(object: KubeObject, namespace: string, key: EventKey, plan: Exclude<EventPlan, { action: 'drop' }>): CoreEvent {
    const meta = object.metadata!;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: plan.name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: meta.name,
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        uid: meta.uid,
        ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
      },
      type: key.type as EventType,
      reason: key.reason,
      message: key.message,
      source: { component: this.options.component, host: this.options.instance },
      reportingComponent: this.options.component,
      reportingInstance: this.options.instance,
      firstTimestamp: toKubeTime(plan.firstTimestamp),
      lastTimestamp: toKubeTime(plan.lastTimestamp),
      count: plan.count,
    };
  }
}
