# The real servers of bench-checker-vm.sh: one listener on 0.0.0.0:PORT, so on every address routed locally in its
# namespace (10.88.0.0/16). tcp: accept and close (TCP_CHECK). http: read the request head, answer "200 OK" with a
# 3-byte body and close (HTTP_GET, status_code 200). Single-threaded; prints "listening" once bound.
import selectors
import socket
import sys

mode, port = sys.argv[1], int(sys.argv[2])
REPLY = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", port))
srv.listen(4096)
srv.setblocking(False)
sel = selectors.DefaultSelector()
sel.register(srv, selectors.EVENT_READ, None)
print("listening", mode, port, flush=True)


def accept_all():
    while True:
        try:
            conn, _ = srv.accept()
        except (BlockingIOError, InterruptedError):
            return
        if mode == "tcp":
            conn.close()
        else:
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ, b"")


def serve(key):
    conn, head = key.fileobj, key.data
    try:
        data = conn.recv(4096)
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        data = b""
    head += data
    if data and b"\r\n\r\n" not in head and len(head) < 16384:
        sel.modify(conn, selectors.EVENT_READ, head)
        return
    sel.unregister(conn)
    if data:
        try:
            conn.sendall(REPLY)
        except OSError:
            pass
    conn.close()


while True:
    for key, _ in sel.select():
        if key.data is None:
            accept_all()
        else:
            serve(key)
