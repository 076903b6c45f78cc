// Reads the API server's audit log of the local control plane (pod deletions
// only, see e2e/cluster/local-control-plane.ts): which client deleted which
// pod, and when the API server received the request.
import { existsSync, readFileSync } from 'node:fs';
import { auditLogPath } from '../cluster/local-control-plane.js';
import { e2eEnvironment } from './env.js';

export interface PodDeletion {
  readonly namespace: string;
  readonly name: string;
  readonly userAgent: string;
  /** When the API server received the request (ms since the epoch). */
  readonly receivedAt: number;
  readonly code: number;
}

interface AuditEvent {
  verb?: string;
  userAgent?: string;
  requestReceivedTimestamp?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
}

/** Pod deletions in `namespace` that the API server completed, oldest first. */
export function podDeletions(namespace: string): PodDeletion[] {
  const path = auditLogPath(e2eEnvironment().runDir);
  if (!existsSync(path)) throw new Error(`no audit log at ${path}: the control plane was started without auditing`);
  const deletions: PodDeletion[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes(`"namespace":"${namespace}"`)) continue;
    const event = JSON.parse(line) as AuditEvent;
    if (event.verb !== 'delete' || event.objectRef?.resource !== 'pods' || event.objectRef.namespace !== namespace) continue;
    deletions.push({
      namespace,
      name: event.objectRef.name ?? '',
      userAgent: event.userAgent ?? '',
      receivedAt: Date.parse(event.requestReceivedTimestamp ?? ''),
      code: event.responseStatus?.code ?? 0,
    });
  }
  return deletions.sort((a, b) => a.receivedAt - b.receivedAt);
}
