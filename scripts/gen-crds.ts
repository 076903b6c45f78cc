// Writes the CRDs built from src/api to config/crd/ and to the Helm chart's
// files/crds/ (npm run gen:crds). A unit test fails when either copy is stale.
// The chart renders them from templates/crds.yaml (not from crds/, which Helm
// never upgrades), adding its labels and helm.sh/resource-policy: keep.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrdFiles, renderCrdYaml } from '../src/api/crd/build-crds.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDirs = [join(root, 'config', 'crd'), join(root, 'charts', 'gamekeeper', 'files', 'crds')];

for (const outDir of outDirs) {
  await mkdir(outDir, { recursive: true });
  for (const [fileName, crd] of buildCrdFiles()) {
    const path = join(outDir, fileName);
    await writeFile(path, renderCrdYaml(crd));
    console.log(`wrote ${path}`);
  }
}
