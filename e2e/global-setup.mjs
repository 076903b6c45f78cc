// Jest loads global setup outside its module mapper: tsx compiles the
// TypeScript harness (NodeNext `.js` specifiers included).
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { setUpCluster } = await tsImport('./cluster-lifecycle.ts', import.meta.url);
  await setUpCluster();
}
