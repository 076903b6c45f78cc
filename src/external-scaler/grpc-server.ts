// KEDA's external-scaler gRPC service (src/proto/externalscaler.proto, loaded at
// run time) over the ScalerService. A manager runnable on every replica (not
// leader-only): it starts with the manager, answers UNAVAILABLE until the
// caches synced, and on shutdown ends open streams and stops the server.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'winston';
import type { Runnable } from '../runtime/manager.js';
import { InvalidScalerMetadataError } from './compute-metrics.js';
import { ScalerError, type ScaledObjectRef, type ScalerService } from './scaler-service.js';

/**
 * The proto: next to the compiled tree (src/proto under tsx, dist/proto in the
 * image, which copies src/proto), or the repository's src/proto when dist/ was
 * built in a checkout (tsc does not copy .proto files).
 */
export const PROTO_PATH = ['../proto/externalscaler.proto', '../../src/proto/externalscaler.proto']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((path) => existsSync(path)) ?? fileURLToPath(new URL('../proto/externalscaler.proto', import.meta.url));

/** Options every loader of the proto uses (the e2e client too): field names as written, int64 as JS numbers. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, defaults: true, oneofs: true };

export interface ExternalScalerServerOptions {
  /** Port to listen on; 0 takes a free one (tests; registerExternalScaler treats 0 as "off"). */
  readonly port: number;
  readonly host?: string;
  readonly service: ScalerService;
  readonly logger: Logger;
  /** How often an open StreamIsActive re-checks the set (ms). */
  readonly streamIntervalMs?: number;
}

interface ServiceDefinitionHolder {
  externalscaler: { ExternalScaler: { service: grpc.ServiceDefinition } };
}

/** The ExternalScaler service definition from the proto. */
export function loadExternalScalerDefinition(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(PROTO_PATH, PROTO_LOADER_OPTIONS);
  return (grpc.loadPackageDefinition(definition) as unknown as ServiceDefinitionHolder).externalscaler.ExternalScaler.service;
}

interface RawRef {
  name?: string;
  namespace?: string;
  scalerMetadata?: Record<string, string>;
}

function toRef(raw: RawRef | undefined | null): ScaledObjectRef {
  return { name: raw?.name ?? '', namespace: raw?.namespace ?? '', scalerMetadata: raw?.scalerMetadata ?? {} };
}

const CODES: Record<ScalerError['code'], grpc.status> = {
  NotFound: grpc.status.NOT_FOUND,
  Unavailable: grpc.status.UNAVAILABLE,
  FailedPrecondition: grpc.status.FAILED_PRECONDITION,
};

/** A gRPC status for a failure: our typed errors keep their meaning, anything else is INTERNAL. */
export function toServiceError(error: unknown): Partial<grpc.ServiceError> {
  if (error instanceof ScalerError) return { code: CODES[error.code], details: error.message };
  if (error instanceof InvalidScalerMetadataError) return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  return { code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

export class ExternalScalerServer implements Runnable {
  readonly name = 'external-scaler';
  readonly needLeaderElection = false;
  private readonly server = new grpc.Server();
  private readonly streams = new Set<grpc.ServerWritableStream<RawRef, { result: boolean }>>();
  private boundPort: number | undefined;

  constructor(private readonly options: ExternalScalerServerOptions) {
    this.server.addService(loadExternalScalerDefinition(), {
      IsActive: this.unary((request: RawRef) => ({ result: options.service.isActive(toRef(request)) })),
      GetMetricSpec: this.unary(() => ({ metricSpecs: options.service.metricSpec() })),
      GetMetrics: this.unary((request: { scaledObjectRef?: RawRef }) => ({ metricValues: options.service.metrics(toRef(request.scaledObjectRef)) })),
      StreamIsActive: (call: grpc.ServerWritableStream<RawRef, { result: boolean }>) => this.streamIsActive(call),
    });
  }

  /** The port bound (after start), e.g. when started on port 0 in tests. */
  get port(): number | undefined {
    return this.boundPort;
  }

  async start(signal: AbortSignal): Promise<void> {
    const address = `${this.options.host ?? '0.0.0.0'}:${this.options.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(new Error(`external scaler cannot listen on ${address}`, { cause: error })) : resolve(port)));
    });
    this.options.logger.info('external scaler listening', { address, port: this.boundPort });
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    for (const call of this.streams) call.end();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 5_000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private unary<Req, Res>(answer: (request: Req) => Res): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      try {
        callback(null, answer(call.request));
      } catch (error) {
        this.options.logger.debug('external scaler call refused', { err: error, request: call.request });
        callback(toServiceError(error));
      }
    };
  }

  /**
   * KEDA's `external-push` trigger: the current answer at once, then every
   * change until the client goes away. (OKG ends the stream at once, which
   * makes KEDA reconnect in a loop.)
   */
  private streamIsActive(call: grpc.ServerWritableStream<RawRef, { result: boolean }>): void {
    const ref = toRef(call.request);
    let last: boolean | undefined;
    const check = (): void => {
      try {
        const result = this.options.service.isActive(ref);
        if (result !== last) call.write({ result });
        last = result;
      } catch (error) {
        stop();
        call.emit('error', toServiceError(error));
      }
    };
    const timer = setInterval(check, this.options.streamIntervalMs ?? 1_000);
    const stop = (): void => {
      clearInterval(timer);
      this.streams.delete(call);
    };
    this.streams.add(call);
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('finish', stop);
    check();
  }
}
