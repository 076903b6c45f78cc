// Bounded polls used while the control plane starts.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** GET a URL and resolve with the status code (0 when it cannot connect). */
export function httpStatus(url: string, ca?: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { ca, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Polls `check` every 100 ms until it is true; throws after `timeoutMs`, or at
 * once when `alive` says the process being waited for has exited.
 */
export async function waitFor(description: string, check: () => Promise<boolean>, timeoutMs: number, alive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (alive && !alive()) throw new StartupError(`the process exited while waiting for ${description}`, { cause: lastError });
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new StartupError(`timed out after ${timeoutMs} ms waiting for ${description}`, { cause: lastError });
}

/**
 * True once every CRD of `kubectl get crd -o json` (the output of `listCrds`)
 * says Established. `kubectl wait --for=condition=Established crd --all`
 * fails outright on a CRD whose status has no conditions yet, so the wait is
 * this poll instead.
 */
export async function allCrdsEstablished(listCrds: () => Promise<string>): Promise<boolean> {
  const list = JSON.parse(await listCrds()) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
  return list.items.every((crd) => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true);
}
