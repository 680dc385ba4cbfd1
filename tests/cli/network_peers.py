#!/usr/bin/env python3
"""Helpers of tests/cli/network.sh: loopback servers outside the sandbox, and probes inside.

  serve-http DIR PORTFILE [HOST] HTTP server on 127.0.0.1:0 (or HOST:0) answering "hello" (port to PORTFILE)
  serve-count PORTFILE COUNTFILE [HOST PORT]  TCP server (127.0.0.1:0) counting connections into COUNTFILE
  serve-unix PATH [COUNTFILE]    unix stream server answering "unix-ok" (connections counted into COUNTFILE)
  connect HOST PORT              exit 0 connected, else prints the errno name, exit 1
  connect-in-thread HOST PORT    the same from a thread other than the main one
  own-address                    prints an IPv4 address of this machine's other than loopback; exit 1 if none
  proxy-port                     the port of $HTTPS_PROXY
  urllib URL                     GET through the proxy variables, prints the body
  loopback                       bind 127.0.0.1:0, listen, connect to itself; then bind 0.0.0.0
  unix PATH                      connect to a unix socket, prints what it reads
  race ALLOWED_PORT FORBIDDEN_PORT N   connect N times while a thread flips the address
  swap HOST PORT N               connect N times while a thread swaps the descriptor between a
                                 unix socket (which the supervisor lets continue) and a TCP one
  unix-swap PATH DECOY N         connect to PATH N times while a thread exchanges PATH with DECOY
                                 (a symlink to another socket), an even number of times
"""
import ctypes
import errno
import fcntl
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import urllib.request


def serve_http(directory, portfile, host="127.0.0.1"):
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"hello\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Hello)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


def serve_count(portfile, countfile, host="127.0.0.1", port="0"):
    count = 0
    listener = socket.socket()
    listener.bind((host, int(port)))
    listener.listen(128)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = listener.accept()
        conn.close()
        count += 1
        with open(countfile, "w") as f:
            f.write(str(count))


def serve_unix(path, countfile=None):
    count = [0]
    lock = threading.Lock()

    class Answer(socketserver.StreamRequestHandler):
        def handle(self):
            if countfile:
                with lock:
                    count[0] += 1
                    with open(countfile + ".tmp", "w") as f:
                        f.write(str(count[0]))
                    os.rename(countfile + ".tmp", countfile)
            try:
                self.wfile.write(b"unix-ok\n")
            except BrokenPipeError:  # the racing client closes without reading
                pass

    server = socketserver.ThreadingUnixStreamServer(path, Answer)
    server.serve_forever()


def connect(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.connect((host, int(port)))
        return 0
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
        return 1


def connect_in_thread(host, port):
    """Agents connect from worker threads (Bun's HTTP thread, tokio's workers), which the
    supervisor sees by their own ids."""
    result = []
    worker = threading.Thread(target=lambda: result.append(connect(host, port)))
    worker.start()
    worker.join()
    return result[0]


def loopback():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname())
    conn, _ = server.accept()
    client.sendall(b"ping")
    assert conn.recv(4) == b"ping"
    print("loopback-ok")
    wild = socket.socket()
    try:
        wild.bind(("0.0.0.0", 0))
        print("bound 0.0.0.0")
        return 1
    except OSError as e:
        print("0.0.0.0:", errno.errorcode.get(e.errno))
    return 0


def unix(path):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
        return 1
    print(s.recv(100).decode().strip())
    return 0


def race(allowed, forbidden, n):
    """A thread rewrites the sockaddr between the allowed and the forbidden port while the
    main thread connects with it; the forbidden server must never see a connection."""
    libc = ctypes.CDLL(None, use_errno=True)

    def sockaddr(port):  # struct sockaddr_in: the family in host order, the port in network order
        return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + socket.inet_aton("127.0.0.1") + b"\0" * 8

    good, bad = sockaddr(int(allowed)), sockaddr(int(forbidden))
    buffer = ctypes.create_string_buffer(good, 16)
    stop = threading.Event()

    def flip():
        while not stop.is_set():
            ctypes.memmove(buffer, bad, 16)
            ctypes.memmove(buffer, good, 16)

    flipper = threading.Thread(target=flip)
    flipper.start()
    connected = 0
    for _ in range(int(n)):
        s = socket.socket()
        if libc.connect(s.fileno(), buffer, 16) == 0:
            connected += 1
        s.close()
    stop.set()
    flipper.join()
    print("connected", connected)
    return 0


def swap(host, port, n):
    """The descriptor connect() names is a unix socket when the supervisor looks and a TCP
    socket when the call continues; the forbidden server must never see a connection."""
    libc = ctypes.CDLL(None, use_errno=True)
    address = struct.pack("=H", socket.AF_INET) + struct.pack("!H", int(port)) + socket.inet_aton(host) + b"\0" * 8
    unix_end, _ = socket.socketpair()
    slot = os.dup(unix_end.fileno())
    stop = threading.Event()
    tcp = [socket.socket()]

    def flip():
        while not stop.is_set():
            os.dup2(unix_end.fileno(), slot)
            os.dup2(tcp[0].fileno(), slot)

    flipper = threading.Thread(target=flip)
    flipper.start()
    connected = 0
    for _ in range(int(n)):
        if libc.connect(slot, address, 16) == 0:
            connected += 1
            tcp[0] = socket.socket()
        time.sleep(0.0002)  # lets the swapping thread have the interpreter
    stop.set()
    flipper.join()
    print("connected", connected)
    return 0


def unix_swap(path, decoy, n):
    """The named socket's path is the socket when the supervisor looks and a symlink to
    another socket when it connects; that other socket must never see a connection."""
    libc = ctypes.CDLL(None, use_errno=True)
    rename_exchange = 2
    stop = threading.Event()

    def flip():
        while not stop.is_set():
            for _ in range(2):  # back where it was each time round
                if libc.renameat2(-100, path.encode(), -100, decoy.encode(), rename_exchange) != 0:
                    raise OSError(ctypes.get_errno(), "renameat2")

    flipper = threading.Thread(target=flip)
    flipper.start()
    connected = 0
    for _ in range(int(n)):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            connected += 1
        except OSError:
            pass
        s.close()
    stop.set()
    flipper.join()
    print("connected", connected)
    return 0


def own_address():
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _, name in socket.if_nameindex():
        try:  # SIOCGIFADDR: the interface's IPv4 address
            answer = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))
        except OSError:
            continue
        address = socket.inet_ntoa(answer[20:24])
        if not address.startswith("127."):
            print(address)
            return 0
    return 1


def main(argv):
    what, args = argv[1], argv[2:]
    if what == "serve-http":
        serve_http(*args)
    elif what == "serve-count":
        serve_count(*args)
    elif what == "serve-unix":
        serve_unix(*args)
    elif what == "connect":
        return connect(*args)
    elif what == "connect-in-thread":
        return connect_in_thread(*args)
    elif what == "own-address":
        return own_address()
    elif what == "proxy-port":
        print(urllib.parse.urlsplit(os.environ["HTTPS_PROXY"]).port)
    elif what == "urllib":
        print(urllib.request.urlopen(args[0], timeout=10).read().decode().strip())
    elif what == "loopback":
        return loopback()
    elif what == "unix":
        return unix(*args)
    elif what == "race":
        return race(*args)
    elif what == "swap":
        return swap(*args)
    elif what == "unix-swap":
        return unix_swap(*args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
