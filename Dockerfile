# syntax=docker/dockerfile:1
# One image, three commands (README, Containers): the API (the default), the image worker
# (`node dist/main/worker.js`) and the migrations (`node dist/main/migrate.js`).
# NODE_IMAGE is any glibc Node.js image laid out like the official one (node on PATH, npm, a
# `node` user): sharp's prebuilt binaries from npm are linux-x64 glibc, so not an Alpine one.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts: `prepare` would build before the sources are here, and sharp needs none (prebuilt).
# The optional build secret `npm_ca` is a CA bundle for a TLS-inspecting proxy between the build
# and the npm registry (`--secret id=npm_ca,src=…`); it is never stored in a layer.
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm_ca \
  if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi \
  && npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The admin console (Vite): npm run build puts it in dist/admin, which the API serves at /admin/.
COPY admin ./admin
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# PID 1 must reap zombies and pass SIGTERM on; the service then shuts down gracefully by itself.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. With TypeScript absent `prepare` would build nothing anyway;
# skipping scripts also keeps install-time downloads out of the image.
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm_ca \
  if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# The embedded defaults (no DATABASE_URL, no S3_BUCKET) keep their data here.
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
USER node
EXPOSE 3000
# /healthz touches no dependency: it says the process serves, the API on PORT or a worker on
# WORKER_PORT (whichever this container runs). No curl in the image; node fetches.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const up = (port) => fetch('http://127.0.0.1:' + port + '/healthz').then((r) => r.ok, () => false); Promise.all([up(process.env.PORT || 3000), up(process.env.WORKER_PORT || 3001)]).then((ok) => process.exit(ok.includes(true) ? 0 : 1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main/api.js"]
