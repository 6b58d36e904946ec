# syntax=docker/dockerfile:1
#
# One image, three roles, chosen by the command (the default runs the API):
#   docker run … taskforge                                  the API on API_PORT (3001)
#   docker run … taskforge node apps/workers/dist/main.js   a worker, health on WORKER_PORT (3002)
#   docker run … taskforge node scripts/dist/migrate.js up  the migrations, then exit
#
# Node 24, the newest LTS (supported to April 2028), of the lines package.json's engines claims
# (^20.19.0 || ^22.13.0 || >=24; CI runs the suite on 20 and 24). Override with
# --build-arg NODE_IMAGE=… to pin a digest, or to pick another supported line.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every dependency, TypeScript compiled, the dashboard bundled by Vite ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The manifests first, so the npm ci layer is reused until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/model/package.json packages/model/
COPY packages/core/package.json packages/core/
COPY packages/client/package.json packages/client/
COPY packages/cli/package.json packages/cli/
COPY apps/api/package.json apps/api/
COPY apps/workers/package.json apps/workers/
COPY apps/dashboard/package.json apps/dashboard/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY packages/model packages/model
COPY packages/core packages/core
COPY packages/client packages/client
COPY packages/cli packages/cli
COPY apps apps
COPY scripts scripts
RUN npm run build

# ---- runtime: production dependencies and the built files only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/model/package.json packages/model/
COPY packages/core/package.json packages/core/
COPY packages/client/package.json packages/client/
COPY packages/cli/package.json packages/cli/
COPY apps/api/package.json apps/api/
COPY apps/workers/package.json apps/workers/
COPY apps/dashboard/package.json apps/dashboard/
# --omit=optional leaves out the embedded PostgreSQL's binaries (60 MB; the containers always
# get DATABASE_URL). --ignore-scripts: the one production install script left is @scarf/scarf's
# install analytics, which package.json's allowScripts refuses as well.
# test/deploy/runtime-imports.spec.ts checks that what remains is all the built code imports.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/packages/model/dist packages/model/dist
COPY --from=build /app/packages/core/dist packages/core/dist
COPY --from=build /app/packages/core/migrations packages/core/migrations
COPY --from=build /app/packages/core/sql packages/core/sql
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/workers/dist apps/workers/dist
COPY --from=build /app/apps/dashboard/dist apps/dashboard/dist
COPY --from=build /app/scripts/dist/migrate.js /app/scripts/dist/migrate-options.js /app/scripts/dist/command-line.js \
  /app/scripts/dist/with-database.js /app/scripts/dist/container-health.js scripts/dist/

# The node user (uid 1000) of the official image; the files stay root's, so the app cannot change them.
USER node
EXPOSE 3001 3002
# Asks the API's GET /monitor/health or the worker's GET /health, whichever this container runs
# (scripts/src/container-health.ts); both report 503 while PostgreSQL cannot be reached.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "scripts/dist/container-health.js"]
# Node handles SIGTERM itself (graceful shutdown) and starts no child processes, so it can be PID 1.
CMD ["node", "apps/api/dist/main.js"]
