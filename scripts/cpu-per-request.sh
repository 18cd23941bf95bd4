#!/usr/bin/env bash
# CPU a running proxy spends per intercepted keep-alive request (BENCHMARKS.md, "What moved the
# single-client figure"): CLIENTS curl processes, each requesting https://localhost:18443/small
# one after another on one tunnel through the proxy for SECONDS, then the proxy's utime+stime
# (all threads, from /proc/PID/stat) divided by the 200s counted. Loopback only; the origin and
# the proxy are the shared bench's (../shared/bench/up.sh with BENCH_INTERCEPT=1).
#   scripts/cpu-per-request.sh PROXY_PORT PID CA_FILE [SECONDS=10] [CLIENTS=1]
set -euo pipefail
port=${1:?proxy port} pid=${2:?proxy pid} ca=${3:?CA file the client trusts}
seconds=${4:-10} clients=${5:-1}
out=$(mktemp -d /tmp/cpu-per-request.XXXXXX)
trap 'rm -rf "$out"' EXIT
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
c0=$(ticks); t0=$(date +%s%N)
for ((i = 1; i <= clients; i++)); do
  timeout --foreground "$seconds" curl -s --http1.1 --max-time 10 --cacert "$ca" -x "http://127.0.0.1:$port" \
    -o /dev/null -w '%{stderr}%{http_code}\n' "https://localhost:18443/small?c=$i&n=[1-10000000]" 2> "$out/$i" &
done
wait || true
t1=$(date +%s%N); c1=$(ticks)
n=$(cat "$out"/* | grep -c '^200$' || true)
[ "$n" -gt 0 ] || { echo "no request succeeded" >&2; exit 1; }
awk -v n="$n" -v dt=$(((t1 - t0) / 1000)) -v dc=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "requests=%d req/s=%.0f proxy_cpu_us_per_request=%.1f\n", n, n / (dt / 1e6), dc * 1e6 / hz / n }'
