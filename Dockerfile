# syntax=docker/dockerfile:1
# Every Jingzhun image from one file. Targets:
#   runtime (the default, last): every service; the command picks one (docker-compose.yml, deploy/kubernetes)
#   console: the officers' console, static files on nginx       docker build --target console .
# Stages: manifests (the workspace manifests, shared) → build (every dependency, `npm run build`:
# compiled JavaScript, Prisma clients, the workflow bundle) → console-build (Vite) → console;
# manifests → runtime (production dependencies only, the compiled output, non-root, HEALTHCHECK).
# test/e2e/images.e2e.ts checks it without a container engine: hadolint, each npm ci from exactly
# the files copied before it, and each service's command from the compiled output.

FROM node:20.20-bookworm-slim AS manifests
WORKDIR /app
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

FROM manifests AS build
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_HIDE_UPDATE_MESSAGE=1
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build -- /app/out

FROM build AS console-build
WORKDIR /app/apps/console
RUN node ../../node_modules/vite/bin/vite.js build

# nginx as an unprivileged user (uid 101), listening on 8080, with the /api/<service> proxy.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS console
COPY apps/console/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=console-build /app/apps/console/dist /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]

FROM manifests AS runtime
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE=/app/workflow-bundle.js \
    HEALTHCHECK_URL=http://127.0.0.1:3000/health/ready
RUN npm ci --no-audit --no-fund --omit=dev && npm cache clean --force
COPY --from=build /app/out ./
# The node image's unprivileged user "node" (uid 1000); the files stay root's and read-only to it.
USER 1000:1000
EXPOSE 3000 3001 3002 3003 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "tools/healthcheck.js"]
# Default: the registry API. docker-compose.yml and deploy/kubernetes set the command (and HEALTHCHECK_URL) per service.
CMD ["node", "--enable-source-maps", "apps/registry/src/main.js"]
