// After `tsc`: the gRPC service definitions loaded at run time (the external
// scaler's, the gRPC health probe's) next to the compiled tree, as the
// Dockerfile copies them, so dist/ runs from anywhere (`npm start`, a global
// install of kubectl-gs, the image).
import { cpSync } from 'node:fs';

cpSync(new URL('../src/proto', import.meta.url), new URL('../dist/proto', import.meta.url), { recursive: true });
