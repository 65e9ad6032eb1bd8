#!/usr/bin/env bash
# Smoke test of the newcomer's `npm start` (CI runs it on the clean checkout): starts it in the background, waits for
# its "is ready" banner, signs in to the editor with the owner login the banner prints (POST /rest/login), checks that
# the editor lists the Learnosity node (GET /types/nodes.json), then presses Ctrl-C (SIGINT to its process group) and
# checks that n8n and the emulator are gone. Arguments go to `npm start` (e.g. --fresh).
# START_SMOKE_TIMEOUT: seconds to wait for the banner (default 3600: a first start installs n8n, 10 to 40 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
timeout_s="${START_SMOKE_TIMEOUT:-3600}"
node_type="n8n-nodes-learnosity.learnositySessions"
work="$(mktemp -d "${TMPDIR:-/tmp}/learnosity-start-smoke-XXXXXX")"
log="$work/npm-start.log"
say() { echo "[start-smoke] $*"; }

# Its own session and process group, as a terminal gives it: Ctrl-C is a SIGINT to that group.
setsid npm start -- "$@" >"$log" 2>&1 &
start_pid=$!
tail -n +1 -f "$log" --pid="$start_pid" &
tail_pid=$!

stop_start() {
  if kill -0 "$start_pid" 2>/dev/null; then
    kill -INT -- "-$start_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$start_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$start_pid" 2>/dev/null; then
      say "npm start ignored Ctrl-C for 60 s: killing it"
      kill -KILL -- "-$start_pid" 2>/dev/null || true
      return 1
    fi
  fi
}
cleanup() {
  stop_start || true
  kill "$tail_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  say "FAILED: $*"
  exit 1
}

started=$SECONDS
until grep -q ' is ready: http' "$log"; do
  kill -0 "$start_pid" 2>/dev/null || fail "npm start exited before n8n was ready (its output is above)"
  ((SECONDS - started < timeout_s)) || fail "n8n was not ready within $timeout_s s"
  sleep 2
done
ready_s=$((SECONDS - started))
sleep 1 # the rest of the banner
url="$(sed -nE 's/.* is ready: (http[^ ]+).*/\1/p' "$log" | tail -1)"
login="$(sed -nE 's/^ *Sign in as +([^ ]+) \/ ([^ ]+).*/\1 \2/p' "$log" | tail -1)"
[ -n "$login" ] || fail "the banner printed no owner login"
email="${login% *}"
password="${login#* }"
say "ready after $ready_s s at $url; signing in as $email"

jar="$work/cookies"
browser=(-H "browser-id: learnosity-start-smoke")
body="$(jq -nc --arg e "$email" --arg p "$password" '{emailOrLdapLoginId: $e, password: $p}')"
status="$(curl -s -o "$work/login.json" -w '%{http_code}' -c "$jar" "${browser[@]}" \
  -H 'content-type: application/json' -d "$body" "$url/rest/login")"
[ "$status" = 200 ] || fail "POST /rest/login answered $status: $(head -c 300 "$work/login.json")"
say "POST /rest/login: 200, signed in as $(jq -r '.data.email' "$work/login.json")"

status="$(curl -s -o "$work/nodes.json" -w '%{http_code}' -b "$jar" "${browser[@]}" "$url/types/nodes.json")"
[ "$status" = 200 ] || fail "GET /types/nodes.json answered $status"
jq -e --arg t "$node_type" 'map(.name) | index($t) != null' "$work/nodes.json" >/dev/null ||
  fail "GET /types/nodes.json does not list $node_type"
say "GET /types/nodes.json: 200, $(jq 'length' "$work/nodes.json") node types, $node_type among them"

stopping=$SECONDS
stop_start || fail "npm start did not stop on Ctrl-C"
wait "$start_pid" && code=0 || code=$?
port="$(sed -nE 's|.*://[^:/]+:([0-9]+).*|\1|p' <<<"$url")"
emulator="$(sed -nE 's|.*points at the emulator, (http://[^ ]+).*|\1|p' "$log" | tail -1)"
curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/healthz" && fail "n8n still answers on port $port after Ctrl-C"
if [ -n "$emulator" ]; then
  curl -s -o /dev/null --max-time 5 "$emulator" && fail "the emulator still answers at $emulator after Ctrl-C"
fi
say "Ctrl-C: npm start exited ($code) after $((SECONDS - stopping)) s; n8n and the emulator no longer answer"
say "OK: ready in $ready_s s, login and node list checked"
