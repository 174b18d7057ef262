# One image for every Jingzhun service; the command picks the service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_HIDE_UPDATE_MESSAGE=1
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
RUN for s in prisma/*/prisma.config.ts; do npx prisma generate --config "$s"; done
ENV SWC_NODE_PROJECT=/app/tsconfig.json
# Default: the registry API. docker-compose.yml overrides the command per service.
CMD ["node", "-r", "./tools/devkit/register.js", "apps/registry/src/main.ts"]
