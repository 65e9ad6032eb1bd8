#!/usr/bin/env bash
# Redis and PostgreSQL for the queue-mode e2e (test/e2e/queue.e2e.test.ts), from Debian's packages, installed only if
# missing. The test starts its own throwaway instances of both (free ports, temporary folders), so nothing is started
# here and the machine's own clusters are left alone.
set -euo pipefail
need=()
[ -x /usr/bin/redis-server ] || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
if [ ${#need[@]} -eq 0 ]; then
  echo "[queue-services] redis-server and postgresql are installed" >&2
  exit 0
fi
sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "[queue-services] installing ${need[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
