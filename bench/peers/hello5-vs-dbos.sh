#!/usr/bin/env bash
# Hello5 on PostgreSQL: Baton and DBOS Transact (the peer, ../shared/peers/dbos-hello5.mjs) on ONE throwaway
# cluster, one after the other, in the same run. Prints both result lines and the ratio.
# usage: bench/peers/hello5-vs-dbos.sh [COUNT]   (PEERS=dir with the peer's npm install, else one is made)
# Baton runs Hello5 on Microsoft's Durable Task SDK over its PostgreSQL provider.
set -euo pipefail
count="${1:-2000}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$root/../shared/peers"

peers="${PEERS:-}"
if [ -z "$peers" ]; then
  peers="$(mktemp -d)"
  cp "$shared"/*.mjs "$peers"/
  (cd "$peers" && npm init -y > /dev/null && npm install --silent @dbos-inc/dbos-sdk@5.3.0 > /dev/null)
fi

bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
work="$(mktemp -d /tmp/baton-bench-pg.XXXXXX)"
chmod 755 "$work"
chown postgres "$work"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
runuser -u postgres -- "$bin/initdb" -D "$work/data" -U postgres --auth=trust > /dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" -w -l "$work/log" start > /dev/null
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -m immediate stop > /dev/null; rm -rf "$work"' EXIT
for db in baton dbos; do runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $db"; done

dotnet build "$root/bench" -c Release -nologo -v quiet > /dev/null
baton="$(dotnet "$root/bench/bin/Release/net10.0/baton-bench.dll" hello5 --provider postgres --count "$count" \
  --connection "Host=127.0.0.1;Port=$port;Username=postgres;Database=baton" | tail -n 1)"
dbos="$(cd "$peers" && node dbos-hello5.mjs "postgres://postgres@127.0.0.1:$port/dbos" "$count" | tail -n 1)"
echo "$baton"
echo "$dbos"
rate() { sed -n 's/.*orchestrations_per_s=\([0-9.]*\).*/\1/p' <<< "$1"; }
python3 -c "print(f'ratio baton/dbos={float(\"$(rate "$baton")\") / float(\"$(rate "$dbos")\"):.2f}')"
