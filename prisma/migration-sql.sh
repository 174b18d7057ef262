#!/usr/bin/env bash
# Prints the SQL that takes a service schema from its committed migrations to its schema.prisma,
# using Prisma 6.19.3's wasm engine (prisma/tools). Usage:
#   bash prisma/migration-sql.sh registry            # print the SQL of the next migration
#   bash prisma/migration-sql.sh registry --check    # exit 2 when schema and migrations disagree
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
schema="${1:?service schema (registry, monitoring, notify)}"
shift || true
if [ ! -x "$here/tools/node_modules/.bin/prisma" ]; then
  (cd "$here/tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
export PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false PRISMA_HIDE_UPDATE_MESSAGE=1
export JZ_SCHEMA="$schema"
extra=()
if [ "${1:-}" = "--check" ]; then extra=(--exit-code); fi
cd "$here/tools"
# The config writes the schema copy with a datasource url; its path is fixed by the config.
node_modules/.bin/prisma migrate diff --config prisma.config.ts \
  --from-migrations "../$schema/migrations" \
  --to-schema-datamodel "$here/../.data/prisma-tools/$schema.prisma" --script "${extra[@]}"
