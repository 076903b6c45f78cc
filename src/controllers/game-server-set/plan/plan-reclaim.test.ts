import { describe, expect, it } from '@jest/globals';
import { gameServersToKeep } from './plan-reclaim.js';

describe('gameServersToKeep (OKG SyncGameServer)', () => {
  const labels: Record<string, Record<string, string>> = {
    'xxx-0': { 'game.kruise.io/owner-gss': 'xxx', 'game.kruise.io/gs-deleting': 'true' },
    'xxx-1': { 'game.kruise.io/owner-gss': 'xxx', 'game.kruise.io/gs-deleting': 'false' },
    'xxx-2': { 'game.kruise.io/owner-gss': 'xxx' },
  };
  it('OKG TestSyncGameServer case 2: an id back in the set has its gs-deleting=true reset', () => {
    expect(gameServersToKeep(['xxx-0'], (name) => labels[name])).toEqual(['xxx-0']);
  });
  it('OKG TestSyncGameServer case 1: ids without a GameServer, or not marked, need nothing', () => {
    expect(gameServersToKeep(['xxx-1', 'xxx-2', 'xxx-3'], (name) => labels[name])).toEqual([]);
  });
});
