#!/usr/bin/env bash
# Keep-alive HTTP throughput through Gatehouse with spans and audit OFF vs ON, same run,
# alternating rounds (BENCHMARKS.md, "Observability overhead"). Loopback only: an nginx origin on
# 127.0.0.1:28080 (also the OTLP/HTTP trace sink: POST /v1/traces -> 200), Gatehouse on
# 127.0.0.1:29128, wrk through the proxy with ../shared/bench's bench.lua. Stops only the PIDs it
# starts. Knobs: MODES="off on" (also audit, spans) ROUNDS=3 DURATION=10 WARMUP=3 CONNS=64 THREADS=2 JAR=cli/target/gatehouse.jar
set -euo pipefail
export GATEHOUSE_ADMIN_TOKEN=${GATEHOUSE_ADMIN_TOKEN:-bench-admin-token}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$root/cli/target/gatehouse.jar}
lua=${BENCH_LUA:-$root/../../shared/bench/lua/bench.lua}
[ -f "$lua" ] || lua=/work/shared/bench/lua/bench.lua
rounds=${ROUNDS:-3} duration=${DURATION:-10} warmup=${WARMUP:-3} conns=${CONNS:-64} threads=${THREADS:-2}
d=$(mktemp -d /tmp/gatehouse-obs-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

chmod 755 "$d"   # nginx workers run as another user
mkdir -p "$d/nginx"
body=$(head -c 100 /dev/zero | tr '\0' x)
cat > "$d/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $d/nginx/nginx.pid;
error_log $d/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $d/nginx;
  proxy_temp_path $d/nginx; fastcgi_temp_path $d/nginx; uwsgi_temp_path $d/nginx; scgi_temp_path $d/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:28080;
    location = /small { return 200 "$body"; }
    location = /v1/traces { client_max_body_size 64m; client_body_buffer_size 64m; return 200 ""; }
  }
}
NGINX
nginx -c "$d/nginx.conf" & pids+=($!)

cat > "$d/policy.yaml" <<YAML
version: 1
defaults: { action: deny, mode: enforce }
network: { allow_cidrs: ["127.0.0.1/32"] }
rules:
  - id: bench-origin
    allow: ["127.0.0.1"]
    ports: [28080]
anonymous: default
YAML
printf 'listen: 127.0.0.1:29128\nadmin: { listen: 127.0.0.1:29129 }\npolicy: policy.yaml\n' > "$d/off.yaml"
printf 'listen: 127.0.0.1:29128\nadmin: { listen: 127.0.0.1:29129 }\npolicy: policy.yaml\naudit: { file: audit.jsonl, max_size: 100MB, keep: 2 }\n' > "$d/on.yaml"
cp "$d/on.yaml" "$d/audit.yaml"; cp "$d/off.yaml" "$d/spans.yaml"

run() { # mode
  local mode=$1 env=(OTEL_TRACES_EXPORTER=none)
  if [ "$mode" = on ] || [ "$mode" = spans ]; then
    env=(OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf
         OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:28080/v1/traces)
  fi
  env "${env[@]}" java ${GATEHOUSE_JAVA_OPTS:-} -jar "$jar" serve --config "$d/$mode.yaml" > "$d/serve-$mode.log" 2>&1 &
  local gp=$!; pids+=($gp)
  for _ in $(seq 100); do grep -q "listening on" "$d/serve-$mode.log" && break; sleep 0.1; done
  BENCH_URL=http://127.0.0.1:28080/small BENCH_MODE=proxy timeout 60 wrk -t"$threads" -c"$conns" -d"$warmup"s -s "$lua" http://127.0.0.1:29128 > /dev/null
  BENCH_URL=http://127.0.0.1:28080/small BENCH_MODE=proxy timeout 60 wrk -t"$threads" -c"$conns" -d"$duration"s -s "$lua" http://127.0.0.1:29128 \
    | grep WRKRESULT | sed "s/^/$mode /" | tee -a "$d/results.txt"
  local metrics
  metrics=$(curl -s --max-time 5 http://127.0.0.1:29129/metrics -H "Authorization: Bearer $GATEHOUSE_ADMIN_TOKEN" || true)
  echo "$mode $(echo "$metrics" | grep -E '^gatehouse_(spans_(exported|dropped|export_failed)|audit_records_(written|lost))_total' | tr '\n' ' ')" | tee -a "$d/results.txt"
  kill "$gp"; wait "$gp" 2>/dev/null || true
  if [ -f "$d/audit.jsonl" ]; then
    echo "$mode audit_lines=$(cat "$d"/audit.jsonl* | wc -l)" | tee -a "$d/results.txt"
    rm -f "$d"/audit.jsonl*
  fi
}
# MODES: off (neither), audit (audit file only), spans (OTLP spans only), on (both)
for r in $(seq "$rounds"); do for m in ${MODES:-off on}; do run "$m"; done; done
echo "results: $d/results.txt"
awk '/WRKRESULT/ { split($3, a, "="); split($4, b, "="); split($7, e, "="); rps = a[2] / (b[2] / 1e6); print $1, int(rps) (e[2] > 0 ? "(errors!)" : "") }' "$d/results.txt" \
  | sort | awk '{ v[$1] = v[$1] " " $2 } END { for (m in v) print m ": requests/s" v[m] }'
