// httpGet probe: a status from 200 to 399 is success; the first KiB of the
// body is the result, as the kubelet keeps it.
import { describeError, MAX_PROBE_OUTPUT_BYTES, probeFailure, probeSuccess, type HttpHeaderSpec, type ProbeResult } from './probe-types.js';

export interface HttpProbeRequest {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly path?: string;
  readonly headers?: readonly HttpHeaderSpec[];
}

export function httpProbeUrl(request: HttpProbeRequest): string {
  const host = request.host.includes(':') ? `[${request.host}]` : request.host;
  const path = request.path ? (request.path.startsWith('/') ? request.path : `/${request.path}`) : '/';
  return `${request.scheme.toLowerCase()}://${host}:${request.port}${path}`;
}

export async function runHttpProbe(request: HttpProbeRequest, signal: AbortSignal): Promise<ProbeResult> {
  const url = httpProbeUrl(request);
  try {
    const headers = new Headers({ 'User-Agent': 'gamekeeper-probe' });
    for (const header of request.headers ?? []) headers.set(header.name, header.value);
    const response = await fetch(url, { headers, signal, redirect: 'follow' });
    const body = new TextDecoder().decode((await response.arrayBuffer()).slice(0, MAX_PROBE_OUTPUT_BYTES));
    if (response.status >= 200 && response.status < 400) return probeSuccess(body);
    return probeFailure(body, `HTTP probe failed with statuscode: ${response.status}`);
  } catch (error) {
    return probeFailure('', `Get ${url}: ${describeError(error)}`);
  }
}
