#!/usr/bin/env bash
# The end-to-end checks of docs/macos.md ("What to check on a Mac"), with the real
# `nono exec` applying Seatbelt: run by the macOS job of .github/workflows/ci.yml, and by
# hand on a Mac. Every check is of what the kernel refuses or allows, each refusal next to
# the same action allowed, so that a check cannot pass because nothing works.
#   tests/macos/end_to_end.sh build/nono build/nonoc
set -uo pipefail
[[ $(uname) == Darwin ]] || { echo "end_to_end: macOS only"; exit 1; }
NONO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
NONOC=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(cd "$(mktemp -d)" && pwd -P)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION STATUS -- CMD…: CMD exits with STATUS
    local what=$1 want=$2
    shift 3
    "$@" >"$work/out" 2>&1
    local got=$?
    if [[ $got -ne $want ]]; then
        echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1))
    else
        echo "ok    $what"
    fi
}
sw_vers

# A user of our own: HOME with a key, known_hosts and a .env in a project.
home=$work/home
mkdir -p "$home/.ssh" "$home/proj" "$home/ws"
echo key >"$home/.ssh/id_ed25519"
echo host >"$home/.ssh/known_hosts"
echo SECRET=1 >"$home/proj/.env"
echo notes >"$home/proj/notes"
cat >"$work/p.nono" <<'PROFILE'
profile p extends base {
  allow read ~
  deny ~/.ssh
  allow read ~/.ssh/known_hosts
  deny read ~/**/.env
  allow read,write ~/ws $TMPDIR
  allow exec /Library/Developer/CommandLineTools /Applications/Xcode.app
  allow connect tcp 443
}
PROFILE
run() { HOME=$home "$NONO" exec --profile "$work/p.nono" --workdir "$home/ws" -- "$@"; }

# 1. Every built-in profile compiles for Seatbelt without --allow-weaker, and sandbox-exec
#    accepts what nonoc writes (a profile that names hosts takes the proxy's port as
#    NONO_PROXY_PORT; passed to every one, used by some).
for f in profiles/*.nono; do
    name=$(basename "$f" .nono)
    [[ $name == syscall-groups ]] && continue
    check "nonoc compile $name --target sbpl" 0 -- "$NONOC" compile "$f" --target sbpl -o "$work/sb"
    check "sandbox-exec accepts $name.sb" 0 -- sandbox-exec -D NONO_PROXY_PORT=8080 -f "$work/sb/$name.sb" /usr/bin/true
done

# 2. Processes start: a shell, Python, the terminal devices.
check "a shell starts" 0 -- run /bin/sh -c 'echo ok >/dev/null && ls /dev/fd >/dev/null'
check "python3 starts" 0 -- run /usr/bin/python3 -c 'import os, ssl; print(os.cpu_count())'

# 3. Precedence is the profile's.
check "known_hosts is readable" 0 -- run /bin/cat "$home/.ssh/known_hosts"
check "the key is not" 1 -- run /bin/cat "$home/.ssh/id_ed25519"
check "~/.ssh cannot be listed" 1 -- run /bin/ls "$home/.ssh"
check "a project file is readable" 0 -- run /bin/cat "$home/proj/notes"
check "a .env below ~ is not" 1 -- run /bin/cat "$home/proj/.env"

# 4. Writes and renames inside the workspace, not outside.
check "write, rename, remove in the workspace" 0 -- run /bin/sh -c 'touch a && mkdir d && mv a b && chmod 644 b && ln -s b l && rm b l && rmdir d'
check "no write outside it" 1 -- run /usr/bin/touch "$home/proj/new"

# 5. The private TMPDIR: writable, the command's, gone after the run.
check "TMPDIR is private and writable" 0 -- run /bin/sh -c 'case $TMPDIR in */nono-*) echo x >"$TMPDIR/t" && cat "$TMPDIR/t";; *) exit 9;; esac'

# 6. Network: port 443 out, nothing else.
check "https out" 0 -- run /usr/bin/curl -sSI --max-time 20 https://example.com
check "http (port 80) refused" 7 -- run /usr/bin/curl -sSI --max-time 20 http://example.com

# 6b. Hosts by name: through nono's proxy only. An allowed name is reached, another is
#     refused by the proxy (curl: 56 for a refused CONNECT), the allowed name without the
#     proxy is refused by Seatbelt (7), and so is a loopback port other than the proxy's.
cat >"$work/hosts.nono" <<'PROFILE'
profile hosts extends base {
  allow read,write ~/ws $TMPDIR
  allow exec /Library/Developer/CommandLineTools /Applications/Xcode.app
  allow connect tcp example.com:443
}
PROFILE
hosts() { HOME=$home "$NONO" exec -v --profile "$work/hosts.nono" --workdir "$home/ws" -- "$@"; }
check "an allowed name, through the proxy" 0 -- hosts /usr/bin/curl -sSI --max-time 20 https://example.com
check "another name, refused by the proxy" 56 -- hosts /usr/bin/curl -sSI --max-time 20 https://example.org
check "the allowed name without the proxy, refused by Seatbelt" 7 -- \
    hosts /usr/bin/curl -sSI --max-time 20 --noproxy '*' https://example.com
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(120)' >"$work/loop.port" &
listener=$!
for ((i = 0; i < 50; i++)); do [[ -s $work/loop.port ]] && break; sleep 0.1; done
check "a loopback port not the proxy's is reachable without nono" 0 -- /usr/bin/nc -z 127.0.0.1 "$(cat "$work/loop.port")"
check "a loopback port not the proxy's, refused by Seatbelt" 1 -- hosts /usr/bin/nc -z 127.0.0.1 "$(cat "$work/loop.port")"
kill "$listener"

# The supervisor: status and signals as a shell reports them; fail closed.
check "exit status passes through" 3 -- run /bin/sh -c 'exit 3'
check "a signal death is 128+N" 143 -- run /bin/sh -c 'kill -TERM $$'
repo=$(pwd -P)
cat >"$work/nested.nono" <<PROFILE
profile nested extends base {
  allow read,exec "$repo"
}
PROFILE
check "nono inside nono refuses: Seatbelt does not nest (exit 125)" 125 -- \
    "$NONO" exec --profile "$work/nested.nono" -- "$NONO" exec --profile "$work/nested.nono" -- /usr/bin/true
check "--dry-run prints the SBPL" 0 -- sh -c "HOME=$home '$NONO' exec --dry-run --profile '$work/p.nono' -- true | grep -q '^(deny default)'"

if ((failures)); then echo "end_to_end: $failures failure(s)"; exit 1; fi
echo "end_to_end: ok"
