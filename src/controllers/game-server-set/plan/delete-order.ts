// Scale-down order (OKG DeleteSequenceGs, okg.md §2.3): which pods go first
// when a set has more pods than replicas.

/** opsState rank, higher is deleted first. Empty, None and unknown strings rank 0. */
const OPS_STATE_RANK: Readonly<Record<string, number>> = {
  Kill: 100,
  WaitToBeDeleted: 1,
  None: 0,
  Allocated: -1,
  Maintaining: -2,
};

export function opsStateRank(opsState: string): number {
  return OPS_STATE_RANK[opsState] ?? 0;
}

interface DeletionFacts {
  readonly ordinal: number;
  readonly opsState: string;
  readonly deletionPriority: number;
}

/**
 * Sort comparator, first to delete first: opsState Kill > WaitToBeDeleted >
 * None (or unknown) > Allocated > Maintaining, then higher deletionPriority,
 * then higher ordinal.
 */
export function compareForDeletion(a: DeletionFacts, b: DeletionFacts): number {
  return (
    opsStateRank(b.opsState) - opsStateRank(a.opsState) ||
    b.deletionPriority - a.deletionPriority ||
    b.ordinal - a.ordinal
  );
}

/** Sort comparator for rolling updates, first to update first: higher updatePriority, then higher ordinal. */
export function compareForUpdate(
  a: { readonly ordinal: number; readonly updatePriority: number },
  b: { readonly ordinal: number; readonly updatePriority: number },
): number {
  return b.updatePriority - a.updatePriority || b.ordinal - a.ordinal;
}
