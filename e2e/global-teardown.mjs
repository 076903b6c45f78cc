import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { tearDownCluster } = await tsImport('./cluster-lifecycle.ts', import.meta.url);
  await tearDownCluster();
}
