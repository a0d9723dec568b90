#!/usr/bin/env python3
"""Slow clients against a running server: SOCKETS connections each send a request line, then one
header line every 5 s, never finishing their headers. Prints how many the server keeps open, and
its thread count, every 5 s for 65 s.

    bench/slow-clients.py PORT SOCKETS SERVER_PID
"""
import socket
import sys
import time

port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def threads():
    with open(f"/proc/{pid}/status") as status:
        return int(status.read().split("Threads:")[1].split()[0])


def still_open(connection):
    """Sends one more header line; False once the server has closed the connection."""
    try:
        connection.sendall(b"X-Trickle: 1\r\n")
        connection.setblocking(False)
        try:
            if connection.recv(1) == b"":
                return False
        except BlockingIOError:
            pass
        connection.setblocking(True)
        return True
    except OSError:
        return False


print(f"server threads before: {threads()}")
started = time.time()
connections = []
for _ in range(count):
    connection = socket.socket()
    connection.settimeout(5)
    try:
        connection.connect(("127.0.0.1", port))
        connection.sendall(b"GET /v1/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        connections.append(connection)
    except OSError:
        connection.close()
print(f"{len(connections)} connected in {time.time() - started:.1f} s", flush=True)
for _ in range(13):
    time.sleep(5)
    kept = []
    for connection in connections:
        if still_open(connection):
            kept.append(connection)
        else:
            connection.close()
    connections = kept
    print(f"{time.time() - started:5.1f} s: {len(connections)} open, server threads {threads()}", flush=True)
