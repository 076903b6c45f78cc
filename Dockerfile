# The operator image: compiled JavaScript and production dependencies on a
# slim Node 24 base, running as a non-root user.
#   docker build -t <registry>/gamekeeper:<tag> . && docker push <registry>/gamekeeper:<tag>

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The image brings Node 24 itself: skip the `node` devDependency's download.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The gRPC service definitions (external scaler, gRPC health probe) are loaded
# at run time from dist/proto.
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json \
 && cp -r src/proto dist/proto \
 && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER 65532:65532
EXPOSE 8080 8081 6000
# node is PID 1 and handles SIGTERM itself: it stops taking work, drains
# in-flight reconciles, releases the leader lease and exits 0.
# --max-semi-space-size=4: V8 otherwise sizes the young generation for the
# node, not the pod (16 MB semi-spaces); with it the peak RSS stays near the
# live size (see BENCHMARKS.md). The old-generation limit follows the pod's
# memory limit: the chart sets NODE_OPTIONS=--max-old-space-size to
# heap.percentOfMemoryLimit (75%) of resources.limits.memory.
ENTRYPOINT ["node", "--enable-source-maps", "--max-semi-space-size=4", "dist/main.js"]
