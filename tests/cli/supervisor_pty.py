#!/usr/bin/env python3
"""The supervisor on a terminal, driven as a user's shell would drive it.

Each case opens an outer pseudo-terminal (the user's terminal), starts a program on it
as a shell starts a job (a session leader with the terminal as its controlling one, in
the foreground), and types into it. Run by supervisor.sh: NONO, PROFILE (a profile that
grants the working directory and $TMPDIR) and the working directory come from there.
Prints one FAIL line per failed check; exits 1 if any failed.
"""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time

NONO = os.environ["NONO"]
PROFILE = os.environ["PROFILE"]
failures = 0


def check(ok, what, detail=""):
    global failures
    if not ok:
        failures += 1
        print(f"FAIL: {what}" + (f": {detail!r}" if detail else ""))


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """An outer pty with a job running on it; the test reads and types at the master."""

    def __init__(self, argv, rows=24, cols=80, answers=(), latency=0):
        self.master, self.slave = os.openpty()
        set_size(self.master, rows, cols)
        self.output = b""
        self.answers = answers  # (query, answer): what the terminal types back when shown a query
        self.latency = latency  # seconds from a query shown to its answer typed (a remote terminal's)
        self.answered = 0  # how much of the output was looked at for queries
        self.due = []  # (when, answer) not typed yet
        self.pid = os.fork()
        if self.pid == 0:
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(self.slave, fd)
            os.execvp(argv[0], argv)

    def expect(self, text, timeout=10):
        """Reads until `text` was shown; returns whether it was."""
        end = time.time() + timeout
        while text.encode() not in self.output and time.time() < end:
            wake = min([end] + [when for when, _ in self.due])
            ready, _, _ = select.select([self.master], [], [], max(0, wake - time.time()))
            self.answer()
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
                self.answer()
        return text.encode() in self.output

    def answer(self):
        """Answers each query shown since the last look, in order, as a terminal emulator
        does (a query split across reads is answered once whole), `latency` after it was
        shown; types the answers that are due."""
        while True:
            found = [(self.output.find(q, self.answered), q, a) for q, a in self.answers]
            found = [f for f in found if f[0] >= 0]
            if not found:
                break
            at, query, answer = min(found)
            self.due.append((time.time() + self.latency, answer))
            self.answered = at + len(query)
        while self.due and self.due[0][0] <= time.time():
            os.write(self.master, self.due.pop(0)[1])
            time.sleep(0.005)  # each answer typed apart, as one read of the terminal each

    def type(self, data):
        os.write(self.master, data)

    def wait(self, timeout=10):
        """The job's status as a shell reports it, or None if it is still running."""
        end = time.time() + timeout
        while time.time() < end:
            self.expect("\0never\0", timeout=0.05)  # keep the terminal drained
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status) % 256 if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        return None


def nono(*command):
    return [NONO, "exec", "--profile", PROFILE, "--", *command]


def line_reaches_shell(term, line):
    """Types `line` into the terminal and reads it at the shell's end (the slave), as the
    next program of the user's shell would."""
    term.type(line.encode() + b"\n")
    ready, _, _ = select.select([term.slave], [], [], 3)
    return ready and os.read(term.slave, 4096).decode(errors="replace").strip() == line


# --- A daemon that leaves in a new session and reads the terminal -----------------------
# Without nono it outlives its job and takes the line typed next (the attack); under nono
# it is dead when nono returns, and the line reaches the shell.
def daemon_case(wrap, stolen):
    # An asynchronous command's stdin is /dev/null in sh: the terminal goes by descriptor 3.
    daemon = (f'exec 3<&0; setsid sh -c \'echo $$ > daemon.pid; exec cat <&3 > {stolen}\' & '
              'while [ ! -s daemon.pid ]; do sleep 0.05; done; sleep 0.2; echo started')
    if os.path.exists("daemon.pid"):
        os.unlink("daemon.pid")
    term = Terminal(wrap("sh", "-c", daemon))
    check(term.expect("started"), "the daemon's job started", term.output)
    return term, term.wait()


def daemons():
    """The daemon's processes as this machine lists them: a `cat` working in this test's
    directory. Under nono the pid it wrote is its pid namespace's, not this machine's."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{pid}/cmdline", "rb").read() == b"cat\0" and os.readlink(f"/proc/{pid}/cwd") == os.getcwd():
                found.append(int(pid))
        except OSError:
            pass
    return found


term, status = daemon_case(lambda *c: list(c), "stolen-bare")
pid = int(open("daemon.pid").read())
check(os.path.exists(f"/proc/{pid}"), "without nono, the daemon outlives its job (the attack works)")
term.type(b"password-bare\n")
for _ in range(100):
    if b"password-bare" in open("stolen-bare", "rb").read():
        break
    time.sleep(0.05)
check(b"password-bare" in open("stolen-bare", "rb").read(), "without nono, the daemon takes the next line")
check(daemons() == [pid], "the daemon is found by its command line and directory", daemons())
os.kill(pid, signal.SIGKILL)

term, status = daemon_case(nono, "stolen")
check(status == 0, "nono returns the job's status", status)
check(os.path.exists("daemon.pid"), "under nono, the daemon started")
check(not daemons(), "under nono, the daemon is dead when nono returns", daemons())
check(line_reaches_shell(term, "password-next"), "under nono, the next line reaches the shell")
check(open("stolen", "rb").read() == b"", "under nono, the daemon read nothing")

# --- Nothing is a terminal, yet nono's session has one: the command cannot open it --------
# Without nono, /dev/tty (the controlling terminal) reaches the user's terminal even when
# stdin, stdout and stderr are redirected; under nono the command has a session of its own.
def write_dev_tty(wrap):
    inner = " ".join(wrap("sh", "-c", "'echo via-dev-tty > /dev/tty && echo wrote'"))
    term = Terminal(["sh", "-c", f"{inner} </dev/null >dev-tty.out 2>&1; echo done"])
    term.expect("done")
    term.wait()
    return term.output, open("dev-tty.out").read()


shown, said = write_dev_tty(lambda *c: list(c))
check(b"via-dev-tty" in shown, "without nono, /dev/tty reaches the terminal", shown)
shown, said = write_dev_tty(nono)
check(b"via-dev-tty" not in shown and "wrote" not in said, "under nono, /dev/tty does not", (shown, said))

# --- TIOCSTI reaches the pseudo-terminal, never the user's terminal ------------------------
# A profile without base's filter, which refuses TIOCSTI: here it is the terminal that
# must hold, not the filter.
with open("tiocsti.nono", "w") as f:
    f.write("profile tiocsti {\n  allow read /usr /lib /lib64 /etc /proc\n"
            "  allow exec /usr/bin /usr/lib /lib /lib64\n  syscalls default allow\n}\n")
push = "import fcntl, termios\nfor c in b'injected\\n': fcntl.ioctl(0, termios.TIOCSTI, bytes([c]))\nprint('pushed')"


def injected(argv):
    term = Terminal(argv)
    check(term.expect("pushed"), "TIOCSTI worked in the command", term.output)
    term.wait()
    ready, _, _ = select.select([term.slave], [], [], 1)
    return os.read(term.slave, 4096) if ready else b""


check(injected(["/usr/bin/python3", "-c", push]) == b"injected\n", "without nono, TIOCSTI types into the user's terminal")
check(injected([NONO, "exec", "--profile", "./tiocsti.nono", "--", "/usr/bin/python3", "-c", push]) == b"",
      "under nono, TIOCSTI types into the pseudo-terminal only")

# --- The terminal's answers to what the command showed do not reach the shell ------------
# A terminal answers some sequences by typing: ENQ with its answerback string (xterm's
# answerbackString), and others with text a program can set, which terminal bugs have let
# hold a command and a newline (titles, DECRQSS). A command that shows such a query and
# exits has the answer typed into whatever reads the terminal next: the user's shell.
# Under nono, the answers that come after the command ended are read and dropped: nono
# asks the terminal for its attributes (DA1) after the command's last output and reads
# until their answer, which a terminal gives after every earlier one. The terminal here
# answers 0.2 s late, as one at the end of a network link does: a local one answers while
# nono still relays its input to the command.
# A title report answered in the form of DA1's answer (as a terminal bug could let a command
# choose) comes first, to end the dropping before the payload.
ANSWERS = ((b"\x05", b"touch answered\r"), (b"\x1b[c", b"\x1b[?62;22c"), (b"\x1b[21t", b"\x1b[?1c"))


def typed_after_exit(argv):
    term = Terminal(argv, answers=ANSWERS, latency=0.2)
    status = term.wait()
    check(status == 0, "the command showing a query exits 0", (status, term.output))
    term.expect("\0never\0", timeout=0.5)  # the terminal answers what it was shown last
    ready, _, _ = select.select([term.slave], [], [], 0.5)
    return os.read(term.slave, 4096) if ready else b""


show_query = ["sh", "-c", "printf 'query\\005'"]
check(typed_after_exit(show_query) == b"touch answered\n", "without nono, the terminal's answer reaches the shell")
check(typed_after_exit(nono(*show_query)) == b"", "under nono, the terminal's answer is dropped")
forged = ["sh", "-c", "printf 'query\\033[21t\\005'"]
check(typed_after_exit(forged) == b"\x1b[?1ctouch answered\n", "without nono, a forged answer and the payload reach the shell")
check(b"touch" not in typed_after_exit(nono(*forged)), "under nono, the payload after a forged answer is dropped")
# Stdin not the terminal (nono relays no input), the answers wait in its queue all the run.
redirected = ["sh", "-c", " ".join(nono(*show_query[:2], "'printf \"query\\005\"; sleep 0.3'")) + " </dev/null"]
check(typed_after_exit(redirected) == b"", "under nono, with stdin redirected, the terminal's answer is dropped")

# --- The clipboard is not read through the terminal ---------------------------------------
# OSC 52 with `?` asks the terminal to type the clipboard back (a password just copied), which
# terminals do where a setting or the user allows it. Under nono the request never reaches
# the terminal; a write to the clipboard does.
CLIPBOARD = ((b"\x1b]52;c;?\x07", b"\x1b]52;c;c2VjcmV0\x07"),)  # "secret"
ask_clipboard = r'''
import os, select, tty
tty.setraw(0)
os.write(1, b"\x1b]52;c;aGk=\x07" + b"\x1b]52;c;?\x07")
ready, _, _ = select.select([0], [], [], 1)
print("got:" + (os.read(0, 4096).decode(errors="replace") if ready else ""), end="\r\n", flush=True)
'''


def clipboard_read(argv):
    term = Terminal(argv, answers=CLIPBOARD)
    check(term.expect("got:") and term.wait() == 0, "the clipboard reader ran", term.output)
    check(b"\x1b]52;c;aGk=\x07" in term.output, "the clipboard write reached the terminal", term.output)
    return b"c2VjcmV0" in term.output


check(clipboard_read(["/usr/bin/python3", "-c", ask_clipboard]), "without nono, the command reads the clipboard")
check(not clipboard_read(nono("/usr/bin/python3", "-c", ask_clipboard)), "under nono, the clipboard is not read")

# --- A full-screen program: window size, resize, raw input byte for byte -----------------
tui = r'''
import fcntl, os, signal, struct, sys, termios, tty
def size():
    rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, bytes(8)))[:2]
    return f"{rows}x{cols}"
signal.signal(signal.SIGWINCH, lambda *_: print("resized", size(), flush=True))
print("size", size(), flush=True)
tty.setraw(0)
print("raw\r", flush=True)
data = b""
while len(data) < 8:
    data += os.read(0, 8 - len(data))
print("bytes", data.hex(), "\r", flush=True)
'''
term = Terminal(nono("/usr/bin/python3", "-c", tui), rows=33, cols=101)
check(term.expect("size 33x101"), "the command sees the outer window size", term.output)
modes = termios.tcgetattr(term.slave)
check(not modes[3] & termios.ICANON, "the outer terminal is in raw mode while the command runs")
set_size(term.master, 40, 120)  # the kernel signals SIGWINCH to the job, as a resized terminal does
check(term.expect("resized 40x120"), "the command sees the resize", term.output)
check(term.expect("raw"), "the command set raw mode", term.output)
sent = b"\x03\x1a\x00\xff\x1b[Aq"  # Ctrl-C, Ctrl-Z, NUL, 0xff, an arrow key, a letter
term.type(sent)
check(term.expect("bytes " + sent.hex()), "raw input reaches the command byte for byte", term.output)
check(term.wait() == 0, "the full-screen program exits 0")

# --- Ctrl-C typed at the terminal interrupts the command through the pty's own discipline --
term = Terminal(nono("sh", "-c", "echo ready; exec sleep 100"))
check(term.expect("ready"), "the interrupted command started", term.output)
term.type(b"\x03")
check(term.wait() == 130, "Ctrl-C kills the command with SIGINT: 130")


# --- The outer terminal's modes come back however the run ends ---------------------------
def modes_restored(command, end, want_status, what):
    term = Terminal(nono("sh", "-c", command))
    before = termios.tcgetattr(term.slave)
    check(term.expect("ready"), what + ": started", term.output)
    end(term)
    status = term.wait()
    check(status == want_status, what + ": status", status)
    check(termios.tcgetattr(term.slave) == before, what + ": the outer terminal's modes are restored")


modes_restored("stty raw -echo; echo ready; kill -KILL $$", lambda t: None, 137, "the command is killed")
modes_restored("echo ready; exec sleep 100", lambda t: os.kill(t.pid, signal.SIGTERM), 143, "nono gets SIGTERM")
modes_restored("echo ready; exec sleep 100", lambda t: os.kill(t.pid, signal.SIGHUP), 129, "nono gets SIGHUP")


# nono killed with SIGKILL has no time to restore them: its reaper, which sees it gone, does.
term = Terminal(nono("sh", "-c", "echo ready; exec sleep 100"))
before = termios.tcgetattr(term.slave)
check(term.expect("ready"), "nono gets SIGKILL: started", term.output)
check(not termios.tcgetattr(term.slave)[3] & termios.ICANON, "nono gets SIGKILL: the outer terminal was raw")
os.kill(term.pid, signal.SIGKILL)
check(term.wait() == 137, "nono gets SIGKILL: status")
for _ in range(100):
    if termios.tcgetattr(term.slave) == before:
        break
    time.sleep(0.02)
check(termios.tcgetattr(term.slave) == before, "nono gets SIGKILL: the reaper restores the outer terminal's modes")

sys.exit(1 if failures else 0)
