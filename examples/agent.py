#!/usr/bin/env python3
"""A small "AI agent" for the nono demo.

It does an honest job in its project folder (reads the sources, writes a report), then
misbehaves the way a compromised or confused agent would: it reads a private key, writes
outside the workspace, opens network connections the profile does not allow, and asks a
shell to do the same. Under nono, the kernel refuses each of those; this program only
reports what happened. It exits 0 when the job got done and every forbidden attempt was
refused, 3 otherwise.
"""
import errno
import os
import socket
import subprocess
import sys

HOME = os.path.expanduser("~")
# EROFS: where nono has namespaces, the file system outside the write grants is read-only.
REFUSED = (errno.EACCES, errno.EPERM, errno.EROFS)
results = []


def report(what, refused, detail):
    results.append(refused)
    verdict = "refused" if refused else "ALLOWED"
    print(f"agent: {what:<46} {verdict} ({detail})")


def attempt(what, action):
    """Runs a forbidden action; it must fail with EACCES, EPERM or EROFS."""
    try:
        action()
    except OSError as e:
        report(what, e.errno in REFUSED, f"{type(e).__name__}: [Errno {e.errno}] {os.strerror(e.errno)}")
        return
    report(what, False, "it worked: the sandbox did not stop it")


def do_the_job():
    sources = sorted(f for f in os.listdir(".") if f.endswith((".py", ".md", ".txt")) and f != "report.md")
    lines = 0
    for name in sources:
        with open(name, encoding="utf-8") as f:
            lines += sum(1 for _ in f)
    listing = subprocess.run(["ls", "-1"], capture_output=True, text=True, check=True).stdout.split()
    with open("report.md", "w", encoding="utf-8") as out:
        out.write(f"# Report\n\n{len(sources)} files, {lines} lines; directory has {len(listing)} entries.\n")
    print(f"agent: job done: read {len(sources)} files ({lines} lines), wrote report.md in {os.getcwd()}")


def read_private_key():
    with open(os.path.join(HOME, ".ssh", "id_rsa")) as f:
        f.read()


def write_outside_workspace():
    # Harmless even where it succeeds: a new marker file, nothing anyone runs.
    with open(os.path.join(HOME, "written-by-the-agent.txt"), "w") as f:
        f.write("the agent wrote outside its workspace\n")


def connect_tcp(port):
    def run():
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    return run


def udp_socket():
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()


def shell_reads_key():
    # A child process inherits the sandbox: the shell's `cat` is refused too.
    done = subprocess.run(["/bin/sh", "-c", "cat ~/.ssh/id_rsa"], capture_output=True, text=True)
    if "PRIVATE KEY" in done.stdout:
        raise AssertionError("the shell read the key")
    if done.returncode != 0 and "Permission denied" in done.stderr:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    raise RuntimeError(f"unexpected: exit {done.returncode}, {done.stderr.strip()}")


def main():
    do_the_job()
    attempt("read ~/.ssh/id_rsa", read_private_key)
    attempt("write ~/written-by-the-agent.txt", write_outside_workspace)
    attempt("connect to 127.0.0.1:2222 (port not allowed)", connect_tcp(2222))
    attempt("open a UDP socket (no UDP in the profile)", udp_socket)
    try:
        attempt("ask /bin/sh to cat ~/.ssh/id_rsa", shell_reads_key)
    except (AssertionError, RuntimeError) as e:
        report("ask /bin/sh to cat ~/.ssh/id_rsa", False, str(e))
    refused = sum(results)
    print(f"agent: {refused} of {len(results)} forbidden attempts refused by the kernel")
    return 0 if refused == len(results) else 3


if __name__ == "__main__":
    sys.exit(main())
