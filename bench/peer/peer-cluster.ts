// The peer's own control plane run: OKG's CRDs have the same names as ours
// (game.kruise.io), so the peer never shares a cluster with our operator. The
// bench starts a second local control plane, after ours has stopped, with
// OKG's and OpenKruise's CRDs in place of ours; everything else (etcd,
// kube-apiserver, KCM, scheduler, kwok nodes, their flags) is the same code.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, startLocalControlPlane, stopLocalControlPlane } from '../../e2e/cluster/index.js';
import type { PeerBuild } from './build.js';

export interface PeerCluster {
  readonly runDir: string;
  readonly kubeconfigPath: string;
  /** The control plane's CA (PEM) and a serving certificate for 127.0.0.1 it signed. */
  readonly pki: { readonly caCert: string; readonly cert: string; readonly key: string };
  stop(): Promise<void>;
}

export async function startPeerCluster(build: PeerBuild, nodes: number, log: (message: string) => void): Promise<PeerCluster> {
  const binDir = await ensureBinaries();
  const runDir = await mkdtemp(join(tmpdir(), 'gamekeeper-peer-'));
  const keep = process.env.GAMEKEEPER_KEEP_RUNDIR === 'true';
  const crdDir = join(runDir, 'peer-crds');
  await mkdir(crdDir);
  for (const dir of build.crdDirs) {
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.yaml'))) await copyFile(join(dir, file), join(crdDir, file));
  }
  const info = await startLocalControlPlane({ runDir, binDir, nodes, crdDir, ownerPid: process.pid, removeRunDirWithOwner: !keep, log });
  const pki = join(runDir, 'pki');
  return {
    runDir,
    kubeconfigPath: info.kubeconfigPath,
    // The harness's admin certificate serves 127.0.0.1 (serverAuth): OKG's webhook server reuses it.
    pki: { caCert: join(pki, 'ca.crt'), cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') },
    async stop() {
      await stopLocalControlPlane(runDir, { graceful: false });
      if (!keep) await rm(runDir, { recursive: true, force: true });
    },
  };
}
