// Prometheus metrics under controller-runtime's and client-go's names, so
// existing controller dashboards work unchanged. One registry per process
// (created by the composition root and passed down; no global registry).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueHooks } from '../runtime/queue.js';

/** What a gauge needs to read from a running work queue. */
export interface QueueStats {
  readonly depth: number;
  unfinishedWorkSeconds(): number;
  longestRunningProcessorSeconds(): number;
}

/** What the probe gauges read from the running prober. */
export interface ProbeStats {
  /** By lane (`exec`, `direct`): probes scheduled, running, queued, and rounds due per second. */
  laneStats(): ReadonlyMap<string, { scheduled: number; running: number; queued: number; duePerSecond: number }>;
  /** Sets whose probes are behind their periods now. */
  setsBehind(): number;
}

export interface MetricsOptions {
  /** Also export process_* and nodejs_* metrics (default true). */
  readonly defaultMetrics?: boolean;
}

const QUEUE_LABELS = ['name', 'controller'] as const;
type QueueLabel = (typeof QUEUE_LABELS)[number];

export class Metrics {
  readonly registry = new Registry();

  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly terminalReconcileErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly workqueueAdds: Counter<QueueLabel>;
  readonly workqueueRetries: Counter<QueueLabel>;
  readonly workqueueQueueDuration: Histogram<QueueLabel>;
  readonly workqueueWorkDuration: Histogram<QueueLabel>;
  readonly restClientRequests: Counter<'code' | 'method' | 'host'>;
  readonly restClientRequestDuration: Histogram<'verb' | 'host'>;
  readonly apiRequests: Counter<'code' | 'method' | 'resource'>;
  readonly leaderElectionMasterStatus: Gauge<'name'>;
  readonly leaderElectionRenewDuration: Histogram<'name'>;
  readonly serviceQualityProbes: Counter<'outcome' | 'lane'>;
  readonly serviceQualityProbeDelay: Histogram<'lane'>;
  readonly serviceQualityProbesLate: Counter<'lane' | 'reason'>;
  private readonly queues = new Map<string, QueueStats>();
  private probeStats: ProbeStats | undefined;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.terminalReconcileErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: QUEUE_LABELS,
      registers,
      collect() {
        for (const [name, stats] of queues) this.set({ name, controller: name }, stats.depth);
      },
    });
    this.workqueueAdds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: QUEUE_LABELS, registers });
    this.workqueueRetries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: QUEUE_LABELS,
      registers,
    });
    const durationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];
    this.workqueueQueueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: QUEUE_LABELS,
      buckets: durationBuckets,
      registers,
    });
    this.workqueueWorkDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: QUEUE_LABELS,
      buckets: durationBuckets,
      registers,
    });
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: 'How many seconds of work has been done that is in progress and has not been observed by work_duration',
      labelNames: QUEUE_LABELS,
      registers,
      collect() {
        for (const [name, stats] of queues) this.set({ name, controller: name }, stats.unfinishedWorkSeconds());
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running',
      labelNames: QUEUE_LABELS,
      registers,
      collect() {
        for (const [name, stats] of queues) this.set({ name, controller: name }, stats.longestRunningProcessorSeconds());
      },
    });
    this.restClientRequests = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host',
      labelNames: ['code', 'method', 'host'],
      registers,
    });
    this.restClientRequestDuration = new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds. Broken down by verb, and host.',
      labelNames: ['verb', 'host'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    });
    this.apiRequests = new Counter({
      name: 'gamekeeper_api_requests_total',
      help: 'API requests of the operator by resource (e.g. pods/status), method and status code',
      labelNames: ['code', 'method', 'resource'],
      registers,
    });
    this.leaderElectionMasterStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
      labelNames: ['name'],
      registers,
    });
    this.leaderElectionRenewDuration = new Histogram({
      name: 'gamekeeper_leader_election_renew_duration_seconds',
      help: 'Duration of each successful Lease renewal by the leader (read and write)',
      labelNames: ['name'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers,
    });
    this.serviceQualityProbes = new Counter({
      name: 'gamekeeper_service_quality_probes_total',
      help: 'Service-quality probes completed, by outcome (success, failure, error) and lane (exec: pods/exec through the API server; direct: httpGet, tcpSocket, grpc to the pod)',
      labelNames: ['outcome', 'lane'],
      registers,
    });
    this.serviceQualityProbeDelay = new Histogram({
      name: 'gamekeeper_service_quality_probe_delay_seconds',
      help: 'How late a service-quality probe started after its due time (timer lag and the concurrency queue), by lane',
      labelNames: ['lane'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers,
    });
    this.serviceQualityProbesLate = new Counter({
      name: 'gamekeeper_service_quality_probes_late_total',
      help: 'Service-quality probe rounds that were late, by lane and reason (skipped: still waiting or running when due again; delayed: started over 2 s after due)',
      labelNames: ['lane', 'reason'],
      registers,
    });
    const probes = () => this.probeStats;
    const laneGauge = (name: string, help: string, read: (stats: { scheduled: number; running: number; queued: number; duePerSecond: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['lane'],
        registers,
        collect() {
          for (const [lane, stats] of probes()?.laneStats() ?? []) this.set({ lane }, read(stats));
        },
      });
    laneGauge('gamekeeper_service_quality_probes_due_per_second', 'Service-quality probe rounds due per second (sum of 1 / periodSeconds over the scheduled probes), by lane', (s) => s.duePerSecond);
    laneGauge('gamekeeper_service_quality_probes_scheduled', 'Service-quality probes scheduled, by lane', (s) => s.scheduled);
    laneGauge('gamekeeper_service_quality_probes_running', 'Service-quality probes running now, by lane', (s) => s.running);
    laneGauge('gamekeeper_service_quality_probes_queued', 'Service-quality probes due and waiting for a free slot, by lane', (s) => s.queued);
    new Gauge({
      name: 'gamekeeper_service_quality_sets_behind',
      help: 'GameServerSets whose service-quality probes are falling behind their periods (a Warning event ProbesFallingBehind was recorded on each)',
      registers,
      collect() {
        const stats = probes();
        if (stats) this.set(stats.setsBehind());
      },
    });
  }

  /** Makes the service-quality probe gauges read from `stats`. */
  observeProbes(stats: ProbeStats): void {
    this.probeStats = stats;
  }

  /** Hooks that feed the workqueue_* counters and histograms of queue `name`. */
  queueHooks(name: string): QueueHooks {
    const labels = { name, controller: name };
    return {
      added: () => this.workqueueAdds.inc(labels),
      retried: () => this.workqueueRetries.inc(labels),
      started: (queuedMs) => this.workqueueQueueDuration.observe(labels, queuedMs / 1000),
      finished: (workMs) => this.workqueueWorkDuration.observe(labels, workMs / 1000),
    };
  }

  /** Makes the workqueue_* gauges of `name` read from `stats`. */
  observeQueue(name: string, stats: QueueStats): void {
    this.queues.set(name, stats);
  }
}
