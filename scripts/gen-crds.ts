// Writes the CRDs built from src/api to config/crd/ (npm run gen:crds).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrdFiles, renderCrdYaml } from '../src/api/crd/build-crds.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'config', 'crd');

await mkdir(outDir, { recursive: true });
for (const [fileName, crd] of buildCrdFiles()) {
  const path = join(outDir, fileName);
  await writeFile(path, renderCrdYaml(crd));
  console.log(`wrote ${path}`);
}
