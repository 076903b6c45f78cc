export default async function globalTeardown(): Promise<void> {
  const cluster = globalThis.gamekeeperE2eCluster;
  globalThis.gamekeeperE2eCluster = undefined;
  await cluster?.stop();
}
