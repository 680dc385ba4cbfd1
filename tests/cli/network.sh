#!/usr/bin/env bash
# The network by name, address and path, end to end and on loopback only (--resolve maps
# the test names to 127.0.0.1; nothing leaves the machine): an allowed name through the
# proxy (curl, python, node), the same server's address refused directly, another name
# refused by the proxy, the proxy's port on another loopback address refused; a name mapped
# to this machine's own address other than loopback refused by the proxy; `allow loopback`;
# `allow unix connect` one socket and not another; a thread rewriting the address during
# connect never gets through; a machine without the mediation refuses.
# Each refusal is first shown to work without nono.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
view=$(mktemp -d /var/tmp/nono-network.XXXXXX)  # a workspace outside /tmp, the sandbox's own there
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work" "$view"' EXIT
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
marker=$work/ran
# shellcheck source=../support/expect.sh
source "$here/../support/expect.sh"
# Inside the sandbox only the workspace is readable: the helper goes there.
cp "$here/network_peers.py" "$work/"
helper=$work/network_peers.py

# ---- Servers outside the sandbox ------------------------------------------------------------
python3 "$helper" serve-http "$work" "$work/http.port" & pids+=($!)
python3 "$helper" serve-count "$work/forbidden.port" "$work/forbidden.count" & pids+=($!)
python3 "$helper" serve-unix "$work/a.sock" & pids+=($!)
python3 "$helper" serve-unix "$work/b.sock" & pids+=($!)
python3 "$helper" serve-unix "$work/named.sock" & pids+=($!)
python3 "$helper" serve-unix "$work/other.sock" "$work/other.count" & pids+=($!)
for ((i = 0; i < 100; i++)); do
  [[ -s http.port && -s forbidden.port && -S a.sock && -S b.sock && -S named.sock && -S other.sock ]] && break
  sleep 0.05
done
port=$(cat http.port)
forbidden=$(cat forbidden.port)

cat >"$work/names.nono" <<EOF
profile names extends base {
  allow read,write,exec \$CWD
  allow read /proc
  allow connect tcp allowed.test:$port
}
EOF
cat >"$work/peers.nono" <<EOF
profile peers extends base {
  allow read,write,exec \$CWD
  allow read /proc
  allow connect tcp 127.0.0.1:$port
  allow loopback
  allow unix connect $work/a.sock
}
EOF
in_names() { "$NONO" exec --profile "$work/names.nono" --resolve allowed.test=127.0.0.1 --resolve other.test=127.0.0.1 -- "$@"; }
in_peers() { "$NONO" exec --profile "$work/peers.nono" -- "$@"; }

# ---- Without nono: every peer below is reachable ------------------------------------------
expect 0 "without nono: the server's address" -- curl -sf --noproxy '*' "http://127.0.0.1:$port/"
expect 0 "without nono: the other unix socket" -- python3 "$helper" unix "$work/b.sock"
expect 0 "without nono: bind 0.0.0.0" -- python3 -c 'import socket; socket.socket().bind(("0.0.0.0", 0))'

# ---- Names through the proxy ----------------------------------------------------------------
expect 0 "curl reaches an allowed name through the proxy (CONNECT)" -- \
  in_names curl -sf --proxytunnel "http://allowed.test:$port/"
output_has "curl through CONNECT" hello
expect 0 "curl reaches an allowed name through the proxy (plain HTTP)" -- in_names curl -sf "http://allowed.test:$port/"
output_has "curl plain HTTP" hello
expect 0 "python's urllib reaches an allowed name through the proxy" -- \
  in_names python3 "$helper" urllib "http://allowed.test:$port/"
output_has "python urllib" hello
# Node 20 reads no proxy variable; from 22.21 and 24 NODE_USE_ENV_PROXY=1 (which nono sets)
# makes http, https and fetch use them. Here: the CONNECT any agent sends, by hand.
node_connect='
const http = require("http");
const proxy = new URL(process.env.HTTPS_PROXY);
const auth = "Basic " + Buffer.from(decodeURIComponent(proxy.username) + ":" + decodeURIComponent(proxy.password)).toString("base64");
const target = process.argv[1];
http.request({host: proxy.hostname, port: proxy.port, method: "CONNECT", path: target,
              headers: {"Proxy-Authorization": auth}})
  .on("connect", (res, socket) => {
    if (res.statusCode !== 200) { console.log("status", res.statusCode); process.exit(1); }
    http.get({host: target.split(":")[0], path: "/", createConnection: () => socket}, r => {
      r.on("data", d => process.stdout.write(d)); r.on("end", () => process.exit(0)); });
  }).on("error", e => { console.log(e.message); process.exit(1); }).end();'
if command -v node >/dev/null; then
  expect 0 "node reaches an allowed name through the proxy" -- in_names node -e "$node_connect" "allowed.test:$port"
  output_has "node CONNECT" hello
fi

# SOCKS5 on the same port (for programs with no HTTP proxy setting), the run's token as the
# password of user nono; curl says 97 for a refusal by the SOCKS5 server.
socks_proxy='socks5h://${HTTPS_PROXY#http://}'
expect 0 "curl reaches an allowed name through the proxy's SOCKS5" -- \
  in_names sh -c "curl -sf --proxy $socks_proxy http://allowed.test:$port/"
output_has "curl SOCKS5" hello
expect 97 "another name is refused through SOCKS5" -- in_names sh -c "curl -s --proxy $socks_proxy http://other.test:$port/"
expect 97 "SOCKS5 without the run's token is refused" -- \
  in_names sh -c "curl -s --proxy socks5h://127.0.0.1:\$(python3 $helper proxy-port) http://allowed.test:$port/"
expect 97 "SOCKS5 with another password is refused" -- \
  in_names sh -c "curl -s --proxy socks5h://nono:wrong@127.0.0.1:\$(python3 $helper proxy-port) http://allowed.test:$port/"

expect 7 "the same server's address, directly, is refused" -- in_names curl -s --noproxy '*' "http://127.0.0.1:$port/"
expect 22 "another name is refused by the proxy" -- in_names curl -sf "http://other.test:$port/"
expect 22 "a request without the run's token is refused by the proxy" -- \
  in_names sh -c "curl -sf --proxy http://127.0.0.1:\$(python3 $helper proxy-port) http://allowed.test:$port/"
# The proxy's port on another loopback address: nothing listens there, so where the kernel
# tried it the answer would be ECONNREFUSED; the supervisor refuses it first (EACCES).
expect 0 "the proxy's port on 127.0.0.1 is reachable" -- \
  in_names sh -c "python3 $helper connect 127.0.0.1 \$(python3 $helper proxy-port)"
expect 1 "the proxy's port on 127.0.0.2 is refused" -- \
  in_names sh -c "python3 $helper connect 127.0.0.2 \$(python3 $helper proxy-port)"
output_has "127.0.0.2 refused by the supervisor, not by the TCP stack" EACCES
expect 0 "the proxy's refusals are listed with -v" -- \
  "$NONO" exec -v --profile "$work/names.nono" --resolve other.test=127.0.0.1 -- curl -s "http://other.test:$port/"
output_has "-v lists the refusal" "refused: other.test:$port: not allowed by the profile"

# ---- This machine's own address other than loopback -------------------------------------------
# A server bound to 0.0.0.0 answers on every address of the machine: a name that resolves to
# one of them reaches it, though the address is not loopback (nor, here, internal: the
# machine may be numbered from a documentation range). The proxy refuses those unless the
# profile names the address.
if own=$(python3 "$helper" own-address); then
  python3 "$helper" serve-http "$work" "$work/wild.port" 0.0.0.0 & pids+=($!)
  for ((i = 0; i < 100; i++)); do [[ -s wild.port ]] && break; sleep 0.05; done
  wild=$(cat wild.port)
  for named in "" "$own:$wild"; do
    cat >"$work/self${named:+-named}.nono" <<EOF
profile self extends base {
  allow read,write,exec \$CWD
  allow connect tcp self.test:$wild $named
}
EOF
  done
  expect 0 "without nono: the server on 0.0.0.0 answers on this machine's address $own" -- \
    curl -sf --noproxy '*' "http://$own:$wild/"
  expect 22 "a name mapped to this machine's own address $own is refused by the proxy" -- \
    "$NONO" exec -v --profile "$work/self.nono" --resolve "self.test=$own" -- curl -sf "http://self.test:$wild/"
  output_has "-v names the refusal" \
    "the proxy refused: self.test:$wild: resolves to this machine's own address $own, which the profile does not name"
  expect 0 "a name mapped to this machine's own address $own, named by the profile, is reached" -- \
    "$NONO" exec --profile "$work/self-named.nono" --resolve "self.test=$own" -- curl -sf "http://self.test:$wild/"
  output_has "the server on 0.0.0.0 through the proxy" hello
elif [[ ${CI:-} == true ]]; then
  fail "this machine has no IPv4 address but loopback: the proxy's refusal of its own addresses cannot be shown"
else
  echo "SKIP: this machine has no IPv4 address but loopback: the proxy's refusal of its own addresses is not shown"
fi

# ---- Addresses, loopback and unix sockets, decided per call -----------------------------------
expect 0 "an allowed address is reached directly" -- in_peers curl -sf --noproxy '*' "http://127.0.0.1:$port/"
expect 0 "without nono: a connect from a thread other than the main one" -- python3 "$helper" connect-in-thread 127.0.0.1 "$port"
expect 0 "an allowed address is reached from a thread other than the main one" -- \
  in_peers python3 "$helper" connect-in-thread 127.0.0.1 "$port"
expect 1 "an address not named, from a thread other than the main one, is refused" -- \
  in_names python3 "$helper" connect-in-thread 127.0.0.1 "$port"
output_has "refused by the supervisor" EACCES
expect 0 "allow loopback: bind 127.0.0.1:0, listen and connect; 0.0.0.0 refused" -- in_peers python3 "$helper" loopback
output_has "loopback works" loopback-ok
output_has "0.0.0.0 refused" "0.0.0.0: EACCES"
expect 0 "allow unix connect: the named socket" -- in_peers python3 "$helper" unix "$work/a.sock"
output_has "the named socket answers" unix-ok
expect 1 "allow unix connect: another socket is refused" -- in_peers python3 "$helper" unix "$work/b.sock"
output_has "the other socket" EACCES

# ---- A thread rewriting the address during connect -------------------------------------------
cat >"$work/race.nono" <<EOF
profile race extends base {
  allow read,write,exec \$CWD
  allow read /proc
  allow connect tcp 127.0.0.1:$port
}
EOF
expect 0 "the rewriting race runs" -- "$NONO" exec --profile "$work/race.nono" -- python3 "$helper" race "$port" "$forbidden" 3000
output_has "some connects went through" "connected [1-9]"
[[ -e forbidden.count ]] && fail "a rewritten address reached the forbidden server $(cat forbidden.count) times"
expect 0 "without nono, the race reaches the forbidden server" -- python3 "$helper" race "$port" "$forbidden" 3000
for ((i = 0; i < 50; i++)); do [[ -s forbidden.count ]] && break; sleep 0.05; done
[[ -s forbidden.count ]] || fail "without nono, the race never reached the forbidden server: the probe proves nothing"

# A thread swapping connect()'s descriptor between a unix socket (whose connect the
# supervisor lets continue) and a TCP socket: Landlock holds no port the supervisor decides.
sleep 0.5
rm -f forbidden.count
expect 0 "the descriptor-swapping race runs" -- in_names python3 "$helper" swap 127.0.0.1 "$forbidden" 3000
[[ -e forbidden.count ]] && fail "a swapped descriptor reached the forbidden server $(cat forbidden.count) times"
for try in 1 2 3; do  # the interpreter schedules the swapping thread unevenly
  expect 0 "without nono, the swapping race reaches the forbidden server" -- python3 "$helper" swap 127.0.0.1 "$forbidden" 3000
  grep -q "connected [1-9]" "$work/out" && break
done
output_has "without nono the swap connects" "connected [1-9]"
# The same race against the proxy's own port on another address, where a server listens:
# the one port the sandbox reaches, but only on 127.0.0.1.
rm -f proxy.port ready proxy.count
in_names sh -c "python3 $helper proxy-port > proxy.port; while [ ! -e ready ]; do sleep 0.05; done
                python3 $helper swap 127.0.0.2 \$(cat proxy.port) 3000" >swap.out 2>&1 &
swapper=$!
for ((i = 0; i < 200; i++)); do [[ -s proxy.port ]] && break; sleep 0.05; done
python3 "$helper" serve-count "$work/elsewhere.port" "$work/proxy.count" 127.0.0.2 "$(cat proxy.port)" & pids+=($!)
for ((i = 0; i < 200; i++)); do [[ -s elsewhere.port ]] && break; sleep 0.05; done
touch ready
wait "$swapper" || { fail "the swapping race against the proxy's port did not run"; sed 's/^/  | /' swap.out; }
[[ -e proxy.count ]] && fail "a swapped descriptor reached the proxy's port on 127.0.0.2 $(cat proxy.count) times"

# A thread exchanging the named socket's path with a symlink to another socket while the
# supervisor decides: the socket it checked is the one it connects.
cat >"$work/unix-race.nono" <<EOF
profile unix-race extends base {
  allow read,write,exec \$CWD
  allow read /proc
  allow unix connect $work/named.sock
}
EOF
ln -s "$work/other.sock" "$work/decoy"
expect 0 "the unix path-swapping race runs" -- "$NONO" exec --profile "$work/unix-race.nono" -- \
  python3 "$helper" unix-swap "$work/named.sock" "$work/decoy" 3000
output_has "some connects reached the named socket" "connected [1-9]"
sleep 0.5
[[ -e other.count ]] && fail "a swapped path reached the other unix socket $(cat other.count) times"
expect 0 "without nono, the unix path-swapping race reaches the other socket" -- \
  python3 "$helper" unix-swap "$work/named.sock" "$work/decoy" 3000
for ((i = 0; i < 50; i++)); do [[ -s other.count ]] && break; sleep 0.05; done
[[ -s other.count ]] || fail "without nono, the path swap never reached the other socket: the probe proves nothing"

# ---- Unix sockets as the sandbox finds them: in its mount namespace, where /tmp is its own ----
# From a workspace outside /tmp. A symlink the sandbox makes in its own /tmp leads to the
# named socket, as the kernel follows it for the sandbox (the supervisor's /tmp has no such
# link); a socket named below /tmp keeps /tmp the machine's, so it is found where named.
cp "$helper" "$view/"
python3 "$helper" serve-unix "$view/v.sock" & pids+=($!)
for ((i = 0; i < 100; i++)); do [[ -S $view/v.sock ]] && break; sleep 0.05; done
for name in outside below-tmp; do
  named=$view/v.sock
  [[ $name == below-tmp ]] && named=$work/a.sock
  cat >"$view/$name.nono" <<EOF
profile $name extends base {
  allow read,write,exec \$CWD
  allow read,write \$TMPDIR
  allow read /proc
  allow unix connect $named
}
EOF
done
link=/tmp/nono-network-link.$$
expect 0 "a symlink in the sandbox's own /tmp to the named socket is followed as the sandbox sees it" -- \
  sh -c "cd '$view' && '$NONO' exec --profile outside.nono -- sh -c 'ln -s $view/v.sock $link && python3 network_peers.py unix $link'"
output_has "the named socket answers through the sandbox's symlink" unix-ok
[[ -e $link || -L $link ]] && fail "the sandbox's /tmp was the machine's: the probe proves nothing"
expect 0 "a socket named below /tmp is found there from a workspace outside /tmp" -- \
  sh -c "cd '$view' && '$NONO' exec --profile below-tmp.nono -- python3 network_peers.py unix $work/a.sock"
output_has "the socket below /tmp answers" unix-ok

# ---- A machine that refuses the mediation (pidfd_getfd, as some container runtimes) ------------
rm -f "$marker"
failing=${NONO_TEST_HELPERS:?}/with_syscalls_failing
expect 125 "without pidfd_getfd, a profile with peers is refused" -- \
  "$failing" pidfd_getfd "$NONO" exec --profile "$work/peers.nono" -- touch "$marker"
output_has "the refusal says why" "cannot mediate the network (pidfd_getfd is refused"
never_ran "without the mediation"
expect 0 "with --allow-weaker it runs, ports only" -- \
  "$failing" pidfd_getfd "$NONO" exec --allow-weaker --profile "$work/peers.nono" -- touch "$marker"
output_has "what is weaker is said" "weaker than the profile: this machine cannot mediate"

echo "network: $failures failure(s)"
[[ $failures -eq 0 ]]
