// Writes the CRDs built from src/api to config/crd/ and to the Helm chart's
// crds/ (npm run gen:crds). A unit test fails when either copy is stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrdFiles, renderCrdYaml } from '../src/api/crd/build-crds.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDirs = [join(root, 'config', 'crd'), join(root, 'charts', 'gamekeeper', 'crds')];

for (const outDir of outDirs) {
  await mkdir(outDir, { recursive: true });
  for (const [fileName, crd] of buildCrdFiles()) {
    const path = join(outDir, fileName);
    await writeFile(path, renderCrdYaml(crd));
    console.log(`wrote ${path}`);
  }
}
