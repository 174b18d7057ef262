# syntax=docker/dockerfile:1
# One image for every Jingzhun service; the command picks the service (docker-compose.yml, deploy/kubernetes).
#   build:   every dependency, then `npm run build`: compiled JavaScript, Prisma clients, the workflow bundle
#   runtime: production dependencies only, the compiled output, a non-root user, a HEALTHCHECK
# test/medium/dockerfile.test.ts checks it without a container engine: hadolint, the npm ci of each
# stage from exactly the files copied before it, and each service's command from the compiled output.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY apps/registry/package.json apps/registry/
COPY apps/monitoring/package.json apps/monitoring/
COPY apps/notifications/package.json apps/notifications/
COPY apps/worker/package.json apps/worker/
COPY apps/console/package.json apps/console/
COPY workflows/package.json workflows/
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build -- /app/out

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE=/app/workflow-bundle.js \
    HEALTHCHECK_URL=http://127.0.0.1:3000/health/ready
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY apps/registry/package.json apps/registry/
COPY apps/monitoring/package.json apps/monitoring/
COPY apps/notifications/package.json apps/notifications/
COPY apps/worker/package.json apps/worker/
COPY apps/console/package.json apps/console/
COPY workflows/package.json workflows/
RUN npm ci --no-audit --no-fund --omit=dev && npm cache clean --force
COPY --from=build /app/out ./
# The node image's unprivileged user "node" (uid 1000); the files stay root's and read-only to it.
USER 1000:1000
EXPOSE 3000 3001 3002 3003 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "tools/healthcheck.js"]
# Default: the registry API. docker-compose.yml and deploy/kubernetes set the command (and HEALTHCHECK_URL) per service.
CMD ["node", "--enable-source-maps", "apps/registry/src/main.js"]
