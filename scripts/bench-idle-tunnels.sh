#!/usr/bin/env bash
# RSS of Gatehouse holding N idle CONNECT tunnels (issue 3 target: <= 300 MB at 10,000), loopback
# only: a sink on 127.0.0.1:$SINK_PORT is the upstream of every tunnel. Stops only what it starts.
#   scripts/bench-idle-tunnels.sh [N=10000]      (JAR=cli/target/gatehouse.jar, GATEHOUSE_JAVA_OPTS)
set -euo pipefail
n=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$root/cli/target/gatehouse.jar}
port=${PORT:-29228} sink=${SINK_PORT:-29443}
d=$(mktemp -d /tmp/gatehouse-idle.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# each tunnel holds two descriptors in the proxy (client and upstream): 10,000 tunnels need a
# hard limit above 20,000 (`ulimit -Hn`); where it is lower, the last few tunnels fail and are counted
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cat >"$d/policy.yaml" <<YAML
version: 1
network: { allow_cidrs: ["127.0.0.1/32"] }
rules:
  - id: sink
    allow: [127.0.0.1]
    ports: [$sink]
anonymous: default
YAML
cat >"$d/gatehouse.yaml" <<YAML
listen: 127.0.0.1:$port
admin: { listen: 127.0.0.1:$((port + 1)) }
policy: policy.yaml
limits: { max_connections: 20000, max_connections_per_agent: 20000, idle_timeout: 300s }
YAML
# shellcheck disable=SC2086
java ${GATEHOUSE_JAVA_OPTS:-} -jar "$jar" serve --config "$d/gatehouse.yaml" >"$d/serve.log" 2>&1 &
pids+=($!); gh=$!
for _ in $(seq 1 60); do grep -q "listening on" "$d/serve.log" && break; sleep 0.5; done
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$gh/status"; }
echo "gatehouse pid $gh, RSS at start: $(rss) MB"
mkfifo "$d/out"
timeout 600 python3 "$root/scripts/idle-tunnels.py" 127.0.0.1 "$port" "$sink" "$n" 60 >"$d/out" &
pids+=($!)
while read -r line; do
  echo "$line"
  if [ "$line" = READY ]; then
    sleep 5
    echo "RSS with $n idle tunnels: $(rss) MB (threads: $(ls /proc/$gh/task | wc -l))"
    break
  fi
done <"$d/out"
