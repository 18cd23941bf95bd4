#!/usr/bin/env python3
"""Opens N idle CONNECT tunnels through a proxy to a loopback sink and holds them.

Used by scripts/bench-idle-tunnels.sh to measure the proxy's RSS with many idle tunnels
(issue 3: RSS <= 300 MB with 10,000 idle tunnels). Loopback only: refuses any other address.
"""
import asyncio
import ipaddress
import sys


def loopback(host):
    return ipaddress.ip_address(host).is_loopback


async def sink(reader, writer):
    # the upstream end of each tunnel: accept and keep it open, never answer
    try:
        await reader.read()
    finally:
        writer.close()


async def tunnel(proxy_host, proxy_port, target, opened, sem):
    async with sem:
        reader, writer = await asyncio.open_connection(proxy_host, proxy_port)
        writer.write(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        await writer.drain()
        status = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    if not status.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(status.split(b"\r\n")[0].decode())
    opened.append((reader, writer))


async def main():
    proxy_host, proxy_port, sink_port, count, hold = (
        sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    if not loopback(proxy_host):
        sys.exit("refusing a non-loopback proxy address")
    server = await asyncio.start_server(sink, "127.0.0.1", sink_port, backlog=4096)
    opened = []
    sem = asyncio.Semaphore(256)  # bounded concurrency while opening
    results = await asyncio.gather(
        *(tunnel(proxy_host, proxy_port, f"127.0.0.1:{sink_port}", opened, sem) for _ in range(count)),
        return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception)]
    print(f"opened {len(opened)} tunnels, {len(errors)} errors"
          + (f" (first: {errors[0]!r})" if errors else ""), flush=True)
    print("READY", flush=True)
    await asyncio.sleep(hold)  # bounded: the caller reads RSS meanwhile
    for _, w in opened:
        w.close()
    server.close()


asyncio.run(main())
