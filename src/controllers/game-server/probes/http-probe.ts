// httpGet probe: a status from 200 to 399 is success. The result is what
// OpenKruise's PodProbeMarker (OKG's only prober) reports as the probe's
// message, from the kubelet's HTTP prober: the body on a 2xx, "Probe
// terminated redirects, Response body: <body>" on a 3xx, "HTTP probe failed
// with statuscode: <code>" on any other status, and the error when the
// request failed; its first KiB, as kruise-daemon keeps it. The probe talks to the pod
// only: redirects are not followed (a 3xx is a success, as the kubelet counts
// a redirect off the pod), at most MAX_PROBE_READ_BYTES of the body are read
// and the connection is then closed, whatever the server keeps sending, and a
// fresh connection is used each time (no pool holds a half-read response).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { describeError, MAX_PROBE_OUTPUT_BYTES, probeFailure, probeSuccess, type HttpHeaderSpec, type ProbeResult } from './probe-types.js';

/** Most body bytes read before the connection is closed (the result keeps the first MAX_PROBE_OUTPUT_BYTES). */
export const MAX_PROBE_READ_BYTES = 4 * 1024;

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
    const { status, body } = await get(url, request.headers ?? [], signal);
    const text = new TextDecoder().decode(body.subarray(0, MAX_PROBE_OUTPUT_BYTES));
    if (status >= 200 && status < 300) return probeSuccess(text);
    if (status >= 300 && status < 400) return probeSuccess(capped(`Probe terminated redirects, Response body: ${text}`));
    const message = `HTTP probe failed with statuscode: ${status}`;
    return probeFailure(message, message);
  } catch (error) {
    const message = capped(`Get "${url}": ${describeError(error)}`);
    return probeFailure(message, message);
  }
}

function capped(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MAX_PROBE_OUTPUT_BYTES ? text : new TextDecoder().decode(bytes.subarray(0, MAX_PROBE_OUTPUT_BYTES));
}

/** One GET on its own connection; the body read up to MAX_PROBE_READ_BYTES, then the connection closed. */
function get(url: string, headerSpecs: readonly HttpHeaderSpec[], signal: AbortSignal): Promise<{ status: number; body: Buffer }> {
  const headers: Record<string, string> = { 'User-Agent': 'gamekeeper-probe', Connection: 'close' };
  for (const header of headerSpecs) headers[header.name] = header.value;
  const options = { headers, signal, agent: false as const };
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        response.off('data', onData);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) });
      };
      const onData = (chunk: Buffer) => {
        const part = chunk.subarray(0, MAX_PROBE_READ_BYTES - size);
        chunks.push(part);
        size += part.length;
        if (size >= MAX_PROBE_READ_BYTES) finish();
      };
      response.on('data', onData);
      response.once('end', finish);
      response.once('error', reject);
    };
    // Like the kubelet, an HTTPS probe does not verify the pod's certificate.
    const request: ClientRequest = url.startsWith('https:') ? httpsRequest(url, { ...options, rejectUnauthorized: false }, onResponse) : httpRequest(url, options, onResponse);
    request.once('error', reject);
    request.end();
  });
}
