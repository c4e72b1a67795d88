#!/usr/bin/python3
"""delay-relay.py — a TCP relay on 127.0.0.1 that delivers every byte DELAY milliseconds after
it arrived, in each direction: a loopback stand-in for a WAN link of 2 x DELAY ms round trip
(latency only, no bandwidth limit, order kept). For tests/bench/bench-login.

  delay-relay.py --listen PORT --to PORT [--delay-ms 25] --ready FILE

FILE is created once the relay listens; the caller stops it by its pid (SIGTERM).
Loopback only: it binds 127.0.0.1 and connects to 127.0.0.1.
"""
import argparse
import asyncio
import signal


async def pump(reader, writer, delay):
    # A reader and a writer per direction, joined by a queue of (due time, bytes): reading
    # never waits for a delivery, so the delay adds latency, not a throughput cap.
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await q.get()
            if data is None:
                break
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(65536)
            await q.put((loop.time() + delay, data or None))
            if not data:
                break
        await task
    except (ConnectionError, asyncio.CancelledError):
        task.cancel()


async def serve(a):
    delay = a.delay_ms / 1000.0

    async def client(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection("127.0.0.1", a.to)
        except OSError:
            cwriter.close()
            return
        await asyncio.gather(pump(creader, swriter, delay), pump(sreader, cwriter, delay),
                             return_exceptions=True)
        for w in (cwriter, swriter):
            w.close()

    server = await asyncio.start_server(client, "127.0.0.1", a.listen, backlog=512)
    open(a.ready, "w").close()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--to", type=int, required=True)
    ap.add_argument("--delay-ms", type=float, default=25.0)
    ap.add_argument("--ready", required=True)
    asyncio.run(serve(ap.parse_args()))


if __name__ == "__main__":
    main()
