#!/usr/bin/env python3
"""NEW for the soak test: a raw HTTP/1.1 server that cycles, request by request, through a clean answer and the
failures a real backend has: slow (past the tap's NEW timeout), reset (closes without answering), garbage (bytes that
are not HTTP), a gzip bomb (a small gzip body that inflates to 1 GiB). Usage: new_backend.py PORT BODY_FILE"""
import asyncio, gzip, io, sys

PORT = int(sys.argv[1])
BODY = open(sys.argv[2], "rb").read()

def bomb():
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as g:
        chunk = b"\0" * (1 << 20)
        for _ in range(1024):
            g.write(chunk)
    return out.getvalue()

BOMB = bomb()
KINDS = ["clean", "clean", "slow", "clean", "reset", "clean", "garbage", "clean", "bomb", "clean"]
count = 0

async def handle(reader, writer):
    global count
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                return
            kind = KINDS[count % len(KINDS)]
            count += 1
            if kind == "slow":
                await asyncio.sleep(3)   # past the tap's NEW timeout (1 s in the soak config)
                kind = "clean"
            if kind == "reset":
                writer.transport.abort()
                return
            if kind == "garbage":
                writer.write(b"\x00\x01garbage that is not HTTP\r\n\r\n")
                await writer.drain()
                writer.close()
                return
            if kind == "bomb":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                             + b"Content-Length: %d\r\n\r\n" % len(BOMB) + BOMB)
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
                             + BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, limit=1 << 16)
    async with server:
        await server.serve_forever()

asyncio.run(main())
