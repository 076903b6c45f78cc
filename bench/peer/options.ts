// The peer options of `npm run bench`: which peer (OKG), where its pinned
// source archives are, and the client rates to run it at.

/** A client rate setting of the peer's managers (`--api-server-qps`/`--api-server-qps-burst` of OKG). */
export interface PeerRate {
  readonly qps: number;
  readonly burst: number;
  /** How the rate is named in the table: "chart default" or "ours". */
  readonly label: string;
}

export interface PeerOptions {
  readonly name: 'okg';
  /** Folder holding kruise-game-v1.0.0.tar.gz, kruise-v1.8.4.tar.gz and kruise-api-v1.8.0.tar.gz. */
  readonly archivesDir: string;
  readonly rates: readonly PeerRate[];
}

/** What OKG's Helm chart 1.0.0 passes: `--api-server-qps=5 --api-server-qps-burst=10`. */
export const OKG_CHART_RATE = { qps: 5, burst: 10 } as const;

export class PeerOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerOptionError';
  }
}

/**
 * `--peer-rates=5/10,200/400`: QPS/burst pairs. Without the flag, OKG's chart
 * default and the operator's own rate (`ours`), so the two sides run at the
 * same client rate in one of the columns.
 */
export function parsePeerRates(raw: string | undefined, ours: { readonly qps: number; readonly burst: number }): PeerRate[] {
  const label = (qps: number, burst: number) =>
    qps === OKG_CHART_RATE.qps && burst === OKG_CHART_RATE.burst ? 'chart default' : qps === ours.qps && burst === ours.burst ? 'ours' : 'custom';
  if (raw === undefined) {
    const pairs = [OKG_CHART_RATE, ours];
    return pairs.filter((p, i) => pairs.findIndex((q) => q.qps === p.qps && q.burst === p.burst) === i).map((p) => ({ ...p, label: label(p.qps, p.burst) }));
  }
  const rates: PeerRate[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(part);
    if (!match) throw new PeerOptionError(`--peer-rates: want QPS/BURST pairs such as 5/10,200/400, got ${JSON.stringify(part)}`);
    const qps = Number(match[1]);
    const burst = Number(match[2]);
    if (qps <= 0 || burst < qps) throw new PeerOptionError(`--peer-rates: ${part}: want 0 < QPS ≤ BURST`);
    if (!Number.isInteger(qps)) throw new PeerOptionError(`--peer-rates: ${part}: OKG takes an integer QPS`);
    rates.push({ qps, burst, label: label(qps, burst) });
  }
  if (rates.length === 0) throw new PeerOptionError('--peer-rates: no rate given');
  return rates;
}

/** `--peer=okg` (the only peer); undefined without the flag. */
export function parsePeer(
  peer: string | undefined,
  archivesDir: string | undefined,
  rates: string | undefined,
  defaults: { readonly archivesDir: string; readonly ours: { readonly qps: number; readonly burst: number } },
): PeerOptions | undefined {
  if (peer === undefined) {
    if (archivesDir !== undefined || rates !== undefined) throw new PeerOptionError('--peer-archives and --peer-rates need --peer=okg');
    return undefined;
  }
  if (peer !== 'okg') throw new PeerOptionError(`--peer: the only peer is okg, got ${JSON.stringify(peer)}`);
  return { name: 'okg', archivesDir: archivesDir ?? defaults.archivesDir, rates: parsePeerRates(rates, defaults.ours) };
}
