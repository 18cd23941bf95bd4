#!/usr/bin/env bash
# RSS of `gatehouse serve` holding N idle CONNECT tunnels (issue 3: <= 300 MB with 10,000).
# Loopback only: a Python holder on 127.0.0.1:$PORT, N tunnels to it through the proxy, each
# past the first-bytes check (an SSH-like banner, allowed because the rule names the port) and
# then idle. N defaults to 9000: 2 fds per tunnel in the proxy must fit under a 20,000 fd limit.
# Stops exactly the PIDs it started. Usage: scripts/bench-idle-tunnels.sh [N]
set -euo pipefail
N=${1:-9000}
PORT=${PORT:-39717}
PROXY_PORT=${PROXY_PORT:-25128}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=${GATEHOUSE_JAR:-$root/cli/target/gatehouse.jar}
d=$(mktemp -d)
cat >"$d/policy.yaml" <<YAML
version: 1
defaults: {action: deny}
network: {allow_cidrs: ["127.0.0.1/32"]}
rules:
  - id: hold
    allow: ["127.0.0.1"]
    ports: [$PORT]
anonymous: default
YAML
cat >"$d/gatehouse.yaml" <<YAML
listen: 127.0.0.1:$PROXY_PORT
admin: { listen: 127.0.0.1:$((PROXY_PORT + 1)) }
policy: policy.yaml
limits: { max_connections_per_agent: 20000, max_connections: 20000 }
YAML
cat >"$d/holder.py" <<PY
import asyncio, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
async def handle(r, w):
    try:
        while await r.read(65536):
            pass
    except Exception:
        pass
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', $PORT, backlog=4096)
    async with srv:
        await asyncio.sleep(170)
asyncio.run(main())
PY
cat >"$d/client.py" <<PY
import asyncio, resource, time
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
ok = 0; keep = []
async def one(sem):
    global ok
    async with sem:
        r, w = await asyncio.open_connection('127.0.0.1', $PROXY_PORT)
        w.write(b"CONNECT 127.0.0.1:$PORT HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\n\r\n")
        await w.drain()
        if (await r.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200"):
            w.write(b"SSH-2.0-idle\r\n"); await w.drain(); ok += 1
        keep.append(w)
async def main():
    t = time.time()
    await asyncio.gather(*(one(asyncio.Semaphore(200)) for _ in range($N)), return_exceptions=True)
    print("tunnels", ok, "of", $N, "in", round(time.time() - t, 1), "s", flush=True)
    await asyncio.sleep(60)
asyncio.run(main())
PY
cd "$d"
cpid=
python3 holder.py & hpid=$!
# shellcheck disable=SC2086
java ${GATEHOUSE_JAVA_OPTS:-} -jar "$jar" serve --config gatehouse.yaml >gh.log 2>&1 & gpid=$!
trap 'kill $cpid $hpid 2>/dev/null; kill -TERM $gpid 2>/dev/null; wait $gpid 2>/dev/null; rm -rf "$d"' EXIT
sleep 4
echo "rss before: $(ps -o rss= -p $gpid) KiB"
python3 client.py >client.out 2>&1 & cpid=$!
for _ in $(seq 1 60); do sleep 2; grep -q tunnels client.out && break; done
sleep 10
cat client.out
echo "rss with tunnels: $(ps -o rss= -p $gpid) KiB; proxy fds: $(ls /proc/$gpid/fd | wc -l)"
