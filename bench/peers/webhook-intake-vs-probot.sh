#!/usr/bin/env bash
# Webhook intake: Baton (`POST /api/github/webhook`, 202 only once the delivery's routing orchestration
# `github-delivery:{delivery id}` is durably started in SQLite) and Probot 14 (the peer, ../shared/peers/probot-intake.mjs: verify +
# parse + dispatch, keeps nothing) on loopback, one after the other, same secret, same signed payload, same run.
# Per target: a 2 s warm-up at 500/s, then 500 req/s for DURATION (open loop, bench/peers/webhook-rate.mjs: p50/p99
# from each request's due time), then `wrk -t1 -c16 -dDURATION --latency` (max throughput). Afterwards it checks
# that Probot's /count and Baton's routing instances (once every one has completed) equal the 2xx answers sent.
# usage: bench/peers/webhook-intake-vs-probot.sh [DURATION_S=15] [RATE=500]
#   PEERS=dir with the peer's npm install (else one is made in a temp dir); BATON_BIN=prebuilt baton (else a
#   Release build of the repository); other env (e.g. Logging__LogLevel__Default=Warning) passes to Baton.
# Needs: wrk, node, openssl, python3, dotnet. Last lines:
#   webhook-intake target=<baton|probot> deliveries_per_s=… p50_ms=… p99_ms=… rate=… rate_p50_ms=… rate_p99_ms=… recorded=… accepted=… all_recorded=yes|no
#   webhook-intake ratio baton/probot=…
set -euo pipefail
duration="${1:-15}"
rate="${2:-500}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$root/../shared/peers"
body="$root/../shared/fixtures/github/webhooks/issues/labeled.payload.json"
event=issues
secret="bench-$RANDOM$RANDOM"
sig="sha256=$(openssl dgst -sha256 -hmac "$secret" -r < "$body" | cut -d' ' -f1)"

peers="${PEERS:-}"
if [ -z "$peers" ]; then
  peers="$(mktemp -d)"
  cp "$shared"/*.mjs "$peers"/
  (cd "$peers" && npm init -y > /dev/null && npm install --silent probot@14.3.2 @octokit/webhooks@14.2.0 > /dev/null)
fi
baton="${BATON_BIN:-}"
if [ -z "$baton" ]; then
  dotnet build "$root/Baton.csproj" -c Release -nologo -v quiet > /dev/null
  baton="$root/bin/Release/net10.0/baton"
fi

work="$(mktemp -d /tmp/baton-bench-webhook.XXXXXX)"
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
to_ms() { python3 -c 'import re,sys; v,u=re.match(r"([0-9.]+)(us|ms|s|m)$",sys.argv[1]).groups(); print(round(float(v)*{"us":1e-3,"ms":1,"s":1e3,"m":6e4}[u],2))' "$1"; }

# run_target NAME URL → sets ok (2xx answers sent) and result (the target's line)
run_target() {
  local name="$1" url="$2" warm line wrk_out requests secs non2xx rps
  warm="$(node "$root/bench/peers/webhook-rate.mjs" "$url" "$body" "$sig" "$event" "$rate" 2 | tail -n 1)"
  line="$(node "$root/bench/peers/webhook-rate.mjs" "$url" "$body" "$sig" "$event" "$rate" "$duration" | tail -n 1)"
  echo "$name $line" >&2
  wrk_out="$(WH_BODY="$body" WH_SIG="$sig" WH_EVENT="$event" \
    wrk -t1 -c16 -d"${duration}s" --latency -s "$shared/wrk-webhook.lua" "$url")"
  echo "$wrk_out" | sed "s/^/[$name wrk] /" >&2
  requests="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<< "$wrk_out")"
  secs="$(sed -n 's/^ *[0-9]* requests in \([0-9.]*\)s,.*/\1/p' <<< "$wrk_out")"
  non2xx="$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<< "$wrk_out")"; non2xx="${non2xx:-0}"
  rps="$(python3 -c "print(round(($requests - $non2xx) / $secs, 1))")"
  field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
  ok=$(( $(field ok "$warm") + $(field ok "$line") + requests - non2xx ))
  result="webhook-intake target=$name deliveries_per_s=$rps p50_ms=$(to_ms "$(awk '$1=="50%"{print $2}' <<< "$wrk_out")") p99_ms=$(to_ms "$(awk '$1=="99%"{print $2}' <<< "$wrk_out")") rate=$rate rate_p50_ms=$(field p50_ms "$line") rate_p99_ms=$(field p99_ms "$line") rate_errors=$(field errors "$line") non2xx=$non2xx"
}

# Every 2xx counted must be recorded. wrk stops with up to 16 requests in flight that the server still handles but
# wrk never counts, so the store may hold up to 16 more than the 2xx answers counted.
verdict() { if [ "$1" -ge "$2" ] && [ "$1" -le $(( $2 + 16 )) ]; then echo yes; else echo no; fi; }

# Probot
port="$(free_port)"
(cd "$peers" && exec node probot-intake.mjs "$port" "$secret") > "$work/probot.log" 2>&1 &
pid=$!
wait_up "http://127.0.0.1:$port/count"
run_target probot "http://127.0.0.1:$port"
counted="$(curl -fs "http://127.0.0.1:$port/count")"
probot="$result recorded=$counted accepted=$ok all_recorded=$(verdict "$counted" "$ok")"
stop

# Baton: fresh SQLite file in the temp dir, run from the temp dir so nothing lands in the repository
port="$(free_port)"
(cd "$work" && GitHub__WebhookSecret="$secret" Durable__ConnectionString="$work/baton.db" \
  exec "$baton" serve --urls "http://127.0.0.1:$port") > "$work/baton.log" 2>&1 &
pid=$!
wait_up "http://127.0.0.1:$port/healthz"
run_target baton "http://127.0.0.1:$port"
# Every accepted delivery is one routing instance (a repeated delivery id starts none). Count them through the
# management API once none is still pending or running: the routing has caught up with intake.
counted="$(python3 - "http://127.0.0.1:$port/runtime/webhooks/durabletask/instances" "$ok" <<'EOF'
import json, sys, time, urllib.request
base, accepted = sys.argv[1], int(sys.argv[2])
def count(status=None):
    n, token = 0, None
    while True:
        url = base + "?instanceIdPrefix=github-delivery:&top=1000" + (f"&runtimeStatus={status}" if status else "")
        request = urllib.request.Request(url, headers={"x-ms-continuation-token": token} if token else {})
        with urllib.request.urlopen(request) as r:
            n += len(json.load(r))
            token = r.headers.get("x-ms-continuation-token")
        if not token: return n
started, deadline = time.time(), time.time() + 300
while time.time() < deadline and count("Pending,Running") > 0: time.sleep(1)
print(f"routing caught up {time.time() - started:.1f} s after the load", file=sys.stderr)
print(count("Completed"))
EOF
)"
baton_line="$result recorded=$counted accepted=$ok all_recorded=$(verdict "$counted" "$ok")"
stop

echo "$probot"
echo "$baton_line"
rate_of() { sed -n 's/.*deliveries_per_s=\([0-9.]*\).*/\1/p' <<< "$1"; }
python3 -c "print(f'webhook-intake ratio baton/probot={float(\"$(rate_of "$baton_line")\") / float(\"$(rate_of "$probot")\"):.2f}')"
