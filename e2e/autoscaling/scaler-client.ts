// A real gRPC client of KEDA's external-scaler protocol, built from the same
// proto file the operator serves: the e2e tests call the running operator as
// KEDA's operator and metrics server would.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, PROTO_PATH } from '../../src/external-scaler/index.js';

export interface ScaledObjectRef {
  name: string;
  namespace: string;
  scalerMetadata?: Record<string, string>;
}

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => void;

interface RawClient extends grpc.Client {
  IsActive: Unary<ScaledObjectRef, { result: boolean }>;
  GetMetricSpec: Unary<ScaledObjectRef, { metricSpecs: { metricName: string; targetSize: number }[] }>;
  GetMetrics: Unary<{ scaledObjectRef: ScaledObjectRef; metricName: string }, { metricValues: { metricName: string; metricValue: number }[] }>;
  StreamIsActive(request: ScaledObjectRef): grpc.ClientReadableStream<{ result: boolean }>;
}

export class ScalerClient {
  private readonly raw: RawClient;

  constructor(address: string) {
    const definition = protoLoader.loadSync(PROTO_PATH, PROTO_LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(definition) as unknown as { externalscaler: { ExternalScaler: new (address: string, credentials: grpc.ChannelCredentials) => RawClient } };
    this.raw = new pkg.externalscaler.ExternalScaler(address, grpc.credentials.createInsecure());
  }

  isActive(ref: ScaledObjectRef): Promise<boolean> {
    return this.call(this.raw.IsActive, ref).then((r) => r.result);
  }

  metricSpec(ref: ScaledObjectRef): Promise<{ metricName: string; targetSize: number }[]> {
    return this.call(this.raw.GetMetricSpec, ref).then((r) => r.metricSpecs);
  }

  /** GetMetrics as KEDA asks it: the value of `gssReplicas`. */
  async metric(ref: ScaledObjectRef): Promise<number> {
    const response = await this.call(this.raw.GetMetrics, { scaledObjectRef: ref, metricName: 'gssReplicas' });
    const value = response.metricValues.find((m) => m.metricName === 'gssReplicas');
    if (value === undefined) throw new Error(`no gssReplicas in ${JSON.stringify(response)}`);
    return value.metricValue;
  }

  streamIsActive(ref: ScaledObjectRef): grpc.ClientReadableStream<{ result: boolean }> {
    return this.raw.StreamIsActive(ref);
  }

  close(): void {
    this.raw.close();
  }

  private call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => method.call(this.raw, request, (error, response) => (error ? reject(error) : resolve(response))));
  }
}

/** The gRPC status code of a failed call (undefined if it did not fail with one). */
export async function grpcCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as grpc.ServiceError).code;
  }
}
