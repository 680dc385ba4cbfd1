#!/usr/bin/env bash
# The built-in profiles, for real (issue 7, "Tested for real"): real programs do their
# ordinary job under `nono exec --profile NAME`, and the kernel refuses the user's secrets.
#
# Everything runs in a throw-away HOME holding planted fake secrets, with a fresh directory
# under it as the workspace and the current directory:
# - python-agent: python3 with stdlib imports, json, sqlite3, ssl, subprocess, files in the
#   workspace and TMPDIR; node-agent: node with require, fs and child_process;
# - git init/add/commit/status/log at the top of the workspace under both agents, the
#   identity read from the planted ~/.gitconfig (the git fragment's job);
# - build: a CMake project configured, built with make and g++, and its binary run;
# - the package and compiler caches (pip, Hugging Face, npm and npx, corepack, ccache): the
#   user's refused, the sandbox's own (the tool's variable names it) writable;
# - every profile that extends base, and base itself: each planted secret is refused on
#   read with EACCES or EPERM (never ENOENT: an unsandboxed control opens every one first),
#   shell rc files and other run-later files are refused on write (EROFS too: in the
#   namespace mode, outside the write grants the file system is read-only), once with the
#   workspace under HOME and once with the workspace at HOME itself (the widest grant a user
#   gives); the agents' own credentials open only under the agent's own profile.
# Each check prints one line; a failure shows the command's output. Exit 1 on any failure;
# a kernel that cannot sandbox at all means the suite cannot run (tests/support/suite.sh:
# skipped, or failed in CI); a program not installed is named as not checked.
# Run by ctest with $NONO and $NONO_REPO set.
set -euo pipefail
: "${NONO:?}" "${NONO_REPO:?}"
SUITE=profiles_run
source "$NONO_REPO/tests/support/suite.sh"

root=$(mktemp -d /tmp/nono-profiles-run.XXXXXX)
trap 'rm -rf "$root"' EXIT
export HOME=$root/home TMPDIR=$root/tmp
mkdir -p "$HOME" "$TMPDIR"
unset GIT_DIR GIT_WORK_TREE GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM XDG_CONFIG_HOME
export LC_ALL=C.UTF-8

passed=0
failed=0
skipped=0
pass() {
    echo "ok    $1"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL  $1"
    sed 's/^/      | /' <<<"$2"
    failed=$((failed + 1))
}
skip() {
    not_checked "$1"
    skipped=$((skipped + 1))
}

# Runs CMD… under PROFILE in the current directory; sets OUT (stdout and stderr, without
# nono's own lines at start) and STATUS.
sandboxed() {
    local profile=$1
    shift
    STATUS=0
    OUT=$(timeout 60 "$NONO" exec -q --profile "$profile" -- "$@" </dev/null 2>&1) || STATUS=$?
}

# check NAME PROFILE CMD…: passes when CMD exits 0 under PROFILE.
check() {
    local name=$1 profile=$2
    shift 2
    sandboxed "$profile" "$@"
    if ((STATUS == 0)); then
        pass "$profile: $name"
    else
        fail "$profile: $name (exit $STATUS)" "$OUT"
    fi
}

# A kernel without Landlock or seccomp makes nono refuse every run (it fails closed): that is
# the one thing this test cannot do without.
cd "$HOME"
sandboxed base /usr/bin/true
if ((STATUS != 0)); then
    if grep -Eqi 'landlock|seccomp|this kernel' <<<"$OUT"; then
        cannot_run "this kernel cannot sandbox: $OUT"
    fi
    fail "base: /usr/bin/true (exit $STATUS)" "$OUT"
fi

# ---- nono run as it is: the common runtimes start with nothing to say -------------------
# Each runs in a git repository of its own as the current directory (--allow-cwd), and
# must exit 0 with nothing on stderr (nono's own lines at start quieted with -q): no
# "Permission denied" from a file it reads at start (OpenSSL's configuration, /etc/profile,
# the user's git configuration).
mkdir -p "$HOME/run-project" && git -C "$HOME/run-project" init -q 2>/dev/null
run_quietly() {
    local name=$1 program=$2
    shift 2
    if [[ ! -x $program ]]; then
        skip "nono run: $name: $program is not installed"
        return
    fi
    local err
    err=$(cd "$HOME/run-project" && timeout 60 "$NONO" run -q --allow-cwd -- "$program" "$@" 2>&1 >/dev/null </dev/null)
    local status=$?
    if ((status == 0)) && [[ -z $err ]]; then
        pass "nono run: $name"
    else
        fail "nono run: $name (exit $status, stderr below)" "$err"
    fi
}
run_quietly "node -e" /usr/bin/node -e 'require("crypto").createHash("sha256")'
run_quietly "python3 -c 'import ssl'" /usr/bin/python3 -c 'import ssl, sqlite3'
run_quietly "bash -l" /bin/bash -l -c true
run_quietly "git status" /usr/bin/git status

# ---- The machine's TLS private keys: unreadable even where a profile reads /etc/ssl -----
if [[ $EUID -eq 0 && -d /etc/ssl/private ]] && ls /etc/ssl/private >/dev/null 2>&1; then
    for profile in python-agent node-agent claude-code; do
        sandboxed "$profile" /bin/ls /etc/ssl/private
        if ((STATUS != 0)) && grep -q "Permission denied" <<<"$OUT"; then
            pass "$profile: /etc/ssl/private is refused (root lists it without nono)"
        else
            fail "$profile: /etc/ssl/private is readable (exit $STATUS)" "$OUT"
        fi
    done
else
    skip "/etc/ssl/private: not root, or no such directory to show refused"
fi

# ---- python-agent: python3 doing an agent's ordinary job ---------------------------------

if [[ -x /usr/bin/python3 ]]; then
    mkdir "$HOME/py-project"
    cd "$HOME/py-project"
    check "python3 stdlib imports, asyncio, threads, random" python-agent /usr/bin/python3 -c '
import argparse, asyncio, collections, csv, dataclasses, datetime, decimal, email, hashlib
import itertools, logging, os, pathlib, random, re, shutil, sys, threading, typing, urllib.parse, zlib
asyncio.run(asyncio.sleep(0))
t = threading.Thread(target=lambda: None); t.start(); t.join()
assert len(random.SystemRandom().getrandbits(64).to_bytes(8, "little")) == 8'
    check "json written to and read back from the workspace" python-agent /usr/bin/python3 -c '
import json
data = {"task": "refactor", "files": ["a.py", "b.py"], "done": False}
with open("state.json", "w") as f: json.dump(data, f)
with open("state.json") as f: assert json.load(f) == data'
    check "sqlite3 database in the workspace" python-agent /usr/bin/python3 -c '
import sqlite3
db = sqlite3.connect("memory.db")
db.execute("create table notes (id integer primary key, body text)")
db.executemany("insert into notes (body) values (?)", [("first",), ("second",)])
db.commit(); db.close()
db = sqlite3.connect("memory.db")
assert db.execute("select count(*) from notes").fetchone() == (2,)'
    check "ssl default context loads the system CA certificates" python-agent /usr/bin/python3 -c '
import ssl
ctx = ssl.create_default_context()
count = ctx.cert_store_stats()["x509_ca"]
assert count > 0, f"no CA certificate loaded: {ctx.get_ca_certs()[:1]}"'
    check "subprocess runs ls and git" python-agent /usr/bin/python3 -c '
import subprocess
listing = subprocess.run(["/usr/bin/ls", "-1"], check=True, capture_output=True, text=True).stdout
assert "memory.db" in listing.split(), listing
version = subprocess.run(["/usr/bin/git", "--version"], check=True, capture_output=True, text=True).stdout
assert version.startswith("git version"), version'
    check "files written, renamed, read back and removed in the workspace" python-agent /usr/bin/python3 -c '
import os, pathlib
os.makedirs("src/pkg", exist_ok=True)
pathlib.Path("src/pkg/mod.py.tmp").write_text("VALUE = 42\n")
os.replace("src/pkg/mod.py.tmp", "src/pkg/mod.py")
assert pathlib.Path("src/pkg/mod.py").read_text() == "VALUE = 42\n"
pathlib.Path("src/pkg/scratch.txt").write_text("x"); os.remove("src/pkg/scratch.txt")'
    check "new file at the workspace top" python-agent /usr/bin/python3 -c '
with open("NOTES.md", "x") as f: f.write("# notes\n")
with open("NOTES.md") as f: assert f.read() == "# notes\n"'
    check "tempfile in TMPDIR" python-agent /usr/bin/python3 -c '
import os, tempfile
with tempfile.TemporaryDirectory() as d:
    assert d.startswith(os.environ["TMPDIR"]), d
    open(os.path.join(d, "x"), "w").write("x")'
else
    skip "python-agent: /usr/bin/python3 is not installed"
fi

# ---- node-agent: node doing an agent's ordinary job --------------------------------------

if [[ -x /usr/bin/node ]]; then
    mkdir -p "$HOME/node-project/lib"
    cd "$HOME/node-project"
    echo '{"name": "agent", "version": "1.0.0"}' >package.json
    echo 'module.exports = (name) => `hello ${name}`;' >lib/greet.js
    check "require of a local module" node-agent /usr/bin/node -e '
const greet = require("./lib/greet");
if (greet("x") !== "hello x") throw new Error(greet("x"));
require("crypto").createHash("sha256").update("x").digest("hex");'
    check "fs write, rename, read back, new file at the top" node-agent /usr/bin/node -e '
const fs = require("fs");
fs.mkdirSync("out/deep", { recursive: true });
fs.writeFileSync("out/deep/notes.txt.tmp", "notes\n");
fs.renameSync("out/deep/notes.txt.tmp", "out/deep/notes.txt");
if (fs.readFileSync("out/deep/notes.txt", "utf8") !== "notes\n") throw new Error("read back");
fs.writeFileSync("TODO.md", "- x\n", { flag: "wx" });
fs.unlinkSync("TODO.md");'
    check "child_process.execFileSync of ls and git" node-agent /usr/bin/node -e '
const { execFileSync } = require("child_process");
const listing = execFileSync("/usr/bin/ls", ["-1"], { encoding: "utf8" }).split("\n");
if (!listing.includes("package.json")) throw new Error(listing);
const version = execFileSync("/usr/bin/git", ["--version"], { encoding: "utf8" });
if (!version.startsWith("git version")) throw new Error(version);'
    check "os.tmpdir() writable" node-agent /usr/bin/node -e '
const fs = require("fs"), os = require("os"), path = require("path");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-"));
if (!dir.startsWith(process.env.TMPDIR)) throw new Error(dir);
fs.writeFileSync(path.join(dir, "x"), "x");
fs.rmSync(dir, { recursive: true });'
else
    skip "node-agent: /usr/bin/node is not installed"
fi

# ---- git at the top of the workspace under the agents ------------------------------------

printf '[user]\n\tname = Agent Tester\n\temail = agent@example.invalid\n[init]\n\tdefaultBranch = main\n' \
    >"$HOME/.gitconfig"
for profile in python-agent node-agent; do
    if [[ ! -x /usr/bin/git ]]; then
        skip "$profile: /usr/bin/git is not installed"
        continue
    fi
    mkdir "$HOME/$profile-repo"
    cd "$HOME/$profile-repo"
    check "git init" "$profile" /usr/bin/git init -q
    echo "print('hello')" >main.py
    check "git add" "$profile" /usr/bin/git add main.py
    check "git commit (identity from ~/.gitconfig)" "$profile" /usr/bin/git commit -q -m "first commit"
    echo "print('hello again')" >main.py
    check "git commit -a" "$profile" /usr/bin/git commit -q -a -m "second commit"
    sandboxed "$profile" /usr/bin/git status --porcelain
    if ((STATUS == 0)) && [[ -z $OUT ]]; then
        pass "$profile: git status (clean)"
    else
        fail "$profile: git status, want clean (exit $STATUS)" "$OUT"
    fi
    sandboxed "$profile" /usr/bin/git log --format='%an <%ae> %s'
    want=$'Agent Tester <agent@example.invalid> second commit\nAgent Tester <agent@example.invalid> first commit'
    if ((STATUS == 0)) && [[ $OUT == "$want" ]]; then
        pass "$profile: git log"
    else
        fail "$profile: git log, want two commits by the planted identity (exit $STATUS)" "$OUT"
    fi
done

# ---- build: a C++ project with CMake, make and g++ ---------------------------------------

missing=()
for tool in cmake make g++; do
    [[ -x /usr/bin/$tool ]] || missing+=("$tool")
done
if ((${#missing[@]} == 0)); then
    mkdir -p "$HOME/cpp-project/src"
    cd "$HOME/cpp-project"
    cat >CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(hello CXX)
set(CMAKE_CXX_STANDARD 20)
add_library(greet STATIC src/greet.cpp)
add_executable(hello src/main.cpp)
target_link_libraries(hello PRIVATE greet)
EOF
    cat >src/greet.cpp <<'EOF'
#include <string>
std::string greet(const std::string& name) { return "hello " + name + " from C++" + std::to_string(__cplusplus / 100 % 100); }
EOF
    cat >src/main.cpp <<'EOF'
#include <iostream>
#include <string>
std::string greet(const std::string& name);
int main() { std::cout << greet("build") << "\n"; }
EOF
    check "cmake configure (Unix Makefiles, g++)" build \
        /usr/bin/cmake -S . -B out -G "Unix Makefiles" -DCMAKE_CXX_COMPILER=/usr/bin/g++
    check "cmake --build with make" build /usr/bin/cmake --build out -j2
    sandboxed build ./out/hello
    if ((STATUS == 0)) && [[ $OUT == "hello build from C++20" ]]; then
        pass "build: the built binary runs"
    else
        fail "build: the built binary runs, want 'hello build from C++20' (exit $STATUS)" "$OUT"
    fi
else
    skip "build: ${missing[*]} not installed"
fi

# ---- The package caches: the sandbox's own, never the user's ---------------------------
# The user's caches are read back by the same tools outside the sandbox, which trust them
# (npx runs ~/.npm/_npx, pip installs cached wheels, ccache hands out cached objects): under
# the profiles that use those tools, writing one is refused, and the tool's variable names
# the sandbox's own cache, which is writable.

# cache_is_own PROFILE VARIABLE USER-CACHE: a planted file in USER-CACHE (which this user can
# write: the write is done once unsandboxed) cannot be appended to under PROFILE, even with
# the workspace at HOME; and with the workspace in a project below it, VARIABLE names a
# directory below ~/.cache/nono-sandbox where a file can be made.
cache_is_own() {
    local profile=$1 variable=$2 users=$HOME/$3
    mkdir -p "$users"
    echo planted >"$users/planted" && echo control >>"$users/planted" || {
        fail "$profile: ~/$3 is not writable unsandboxed"
        return
    }
    cd "$HOME"
    sandboxed "$profile" /bin/sh -c "echo sandbox >>'$users/planted'"
    if ((STATUS != 0)) && ! grep -q sandbox "$users/planted"; then
        pass "$profile: the user's ~/$3 is refused, the workspace at HOME"
    else
        fail "$profile: the user's ~/$3 is refused, the workspace at HOME (exit $STATUS)" "$OUT"
    fi
    mkdir -p "$HOME/cache-project"
    cd "$HOME/cache-project"
    sandboxed "$profile" /bin/sh -c "case \$$variable in '$HOME'/.cache/nono-sandbox/*) ;; *) echo \"$variable=\$$variable\"; exit 3 ;; esac
        mkdir -p \"\$$variable/made\" && echo ok >\"\$$variable/made/file\""
    if ((STATUS == 0)); then
        pass "$profile: $variable is the sandbox's own, and writable"
    else
        fail "$profile: $variable is the sandbox's own, and writable (exit $STATUS)" "$OUT"
    fi
}
cache_is_own python-agent PIP_CACHE_DIR .cache/pip/wheels
cache_is_own python-agent HF_HOME .cache/huggingface/hub
cache_is_own node-agent npm_config_cache .npm/_npx/0123
cache_is_own node-agent COREPACK_HOME .cache/node/corepack/v1
cache_is_own build CCACHE_DIR .cache/ccache/0

# ---- The secrets base denies, refused by the kernel under every profile that extends it ----

# Fake secrets in every place base names, and run-later files; planted before any profile is
# compiled, since a deny inside an allowed directory is enforced on what exists then.
secrets=(
    .ssh/id_rsa .ssh/id_ed25519 .ssh/config .ssh .gnupg .gnupg/private-keys-v1.d/key.key
    .aws/credentials .aws/config .config/gcloud/credentials.db .azure/msal_token_cache.json
    .kube/config .docker/config.json .oci/config .config/doctl/config.yaml
    .terraform.d/credentials.tfrc.json .vault-token .config/gh/hosts.yml .config/hub
    .config/glab-cli/config.yml .npmrc .yarnrc.yml .pypirc .netrc .cargo/credentials
    .cargo/credentials.toml .gem/credentials .m2/settings.xml .m2/settings-security.xml
    .gradle/gradle.properties .composer/auth.json .config/composer/auth.json
    .pub-cache/credentials.json .git-credentials .config/git/credentials .bash_history
    .zsh_history .python_history .node_repl_history .psql_history .histfile
    .local/share/fish/fish_history .lesshst .viminfo .mozilla/firefox/x.default/logins.json
    .config/google-chrome/Default/Cookies .config/chromium/Default/Cookies
    .config/BraveSoftware/Brave-Browser/Default/Cookies .config/microsoft-edge/Default/Cookies
    .config/vivaldi/Default/Cookies .config/opera/Cookies snap/firefox/common/profiles.ini
    .var/app/org.mozilla.firefox/profiles.ini .var/app/com.google.Chrome/Cookies
    .password-store/email.gpg .local/share/keyrings/login.keyring
    .local/share/kwalletd/kdewallet.kwl .config/1Password/settings.json .1password/agent.sock
    .config/op/config .config/Bitwarden/data.json .config/keepassxc/keepassxc.ini
    .pgpass .my.cnf .mylogin.cnf .s3cfg .boto .config/rclone/rclone.conf
    .config/containers/auth.json ".config/Bitwarden CLI/data.json"
)
# The agents' own credentials: base's `deny secret`, which only the owning profile re-opens
# (by naming the file). Paths owned by none stay refused under every profile.
declare -A agent_secret_owner=(
    [.claude/.credentials.json]=claude-code [.codex/auth.json]=codex
    [.gemini/oauth_creds.json]=gemini-cli [.gemini/mcp-oauth-tokens.json]=gemini-cli
    [.local/share/opencode/auth.json]=opencode [.local/share/opencode/mcp-auth.json]=opencode
    [.aider/oauth-keys.env]=aider [.config/github-copilot/hosts.json]=none
    [.config/github-copilot/apps.json]=none
)
run_later=(
    .bashrc .bash_profile .bash_login .bash_logout .bashrc.d/aliases.sh .profile .zshrc .zshenv
    .zprofile .zlogin .zlogout .config/fish/config.fish .inputrc .pam_environment
    .config/environment.d/env.conf .config/autostart/x.desktop .config/systemd/user/x.service
    .local/share/applications/x.desktop .local/bin/tool .vimrc .vim/vimrc .config/nvim/init.vim
    .emacs .emacs.d/init.el .gitconfig .config/git/config .config/nono/mine.nono
    .ssh/authorized_keys .bash_aliases .cargo/env .xprofile .xsessionrc .xinitrc
    .config/plasma-workspace/env/x.sh .config/direnv/direnvrc .direnvrc
    .local/lib/python3.11/site-packages/evil.pth .config/pip/pip.conf .pip/pip.conf bin/tool
)
# New files in directories whose files run later: refused on create too.
created=(.local/bin/git .config/autostart/new.desktop .bashrc.d/new.sh .ssh/new_key .config/nono/new.nono
         .local/lib/python3.11/site-packages/new.pth .config/systemd/user/new.service bin/git)
for path in "${secrets[@]}" "${run_later[@]}" "${!agent_secret_owner[@]}"; do
    [[ $path == .ssh || $path == .gnupg ]] && continue
    mkdir -p "$HOME/$(dirname "$path")"
    [[ -e $HOME/$path ]] || echo "FAKE-SECRET planted by profiles_run.sh: $path" >"$HOME/$path"
done

# Opens each MODE:PATH (r read, w write, c create) and prints "MODE RESULT PATH", RESULT being
# OPENED or the errno's name.
probe='
import errno, os, sys
flags = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_APPEND, "c": os.O_WRONLY | os.O_CREAT | os.O_EXCL}
for spec in sys.argv[1:]:
    mode, path = spec.split(":", 1)
    try:
        os.close(os.open(path, flags[mode], 0o600))
        result = "OPENED"
    except OSError as e:
        result = errno.errorcode.get(e.errno, str(e.errno))
    print(mode, result, path)'

specs=()
for path in "${secrets[@]}" "${!agent_secret_owner[@]}"; do specs+=("r:$HOME/$path"); done
for path in "${run_later[@]}"; do specs+=("w:$HOME/$path"); done

# The control: unsandboxed, every planted path opens, so a refusal later is the sandbox's.
if [[ ! -x /usr/bin/python3 ]]; then
    echo "profiles_run: $passed passed, $failed failed, $skipped skipped"
    ((failed == 0)) || exit 1
    cannot_run "the secrets checks need /usr/bin/python3, which is not installed"
fi
cd "$HOME"
out=$(/usr/bin/python3 -c "$probe" "${specs[@]}" 2>&1) || true
if [[ $(grep -c '^[rw] OPENED ' <<<"$out") -eq ${#specs[@]} ]]; then
    pass "control: unsandboxed, all ${#specs[@]} planted paths open"
else
    fail "control: unsandboxed, some planted paths do not open" "$(grep -v '^[rw] OPENED ' <<<"$out")"
fi

for path in "${created[@]}"; do specs+=("c:$HOME/$path"); done

profiles=(base)
for file in "$NONO_REPO"/profiles/*.nono; do
    grep -Eq '^profile [a-z0-9._-]+ extends (.*[ ,])?base([ ,{]|$)' "$file" && profiles+=("$(basename "$file" .nono)")
done
((${#profiles[@]} >= 10)) || fail "only ${#profiles[@]} profiles found extending base" "${profiles[*]}"

# Each profile runs the probe twice where it has a workspace param: with the workspace under
# HOME, and with the workspace at HOME itself, where every deny must be carved out of the
# grant. Controls that must open come first: /etc/passwd (base allows it: the probe works
# under the profile) and, with a workspace, a new file in it and a read of ~/.bashrc where the
# workspace covers it (deny write is about writing, and the --param took effect). With the
# workspace at HOME the new file goes in ~/notes: HOME's own top is carved into its entries
# around the denied ones, so new files right in HOME are refused (as base's comment on
# .git/hooks explains for the workspace top).
mkdir -p "$HOME/workspace" "$HOME/notes"
cd "$HOME/workspace"
for profile in "${profiles[@]}"; do
    workspaces=("")
    grep -Eq '^ *param workspace' "$NONO_REPO/profiles/$profile.nono" && workspaces=("$HOME/workspace" "$HOME")
    for workspace in "${workspaces[@]}"; do
        params=()
        controls=("r:/etc/passwd")
        label=${workspace/#$HOME/\~}
        if [[ -n $workspace ]]; then
            params=(--param "workspace=$workspace")
            created_control=$workspace/created-by-probe
            [[ $workspace == "$HOME" ]] && created_control=$HOME/notes/created-by-probe
            controls+=("c:$created_control")
            [[ $workspace == "$HOME" ]] && controls+=("r:$HOME/.bashrc")
        fi
        # Its own credentials open; every other agent's are refused (they are in specs).
        refused=()
        for spec in "${specs[@]}"; do
            path=${spec#r:"$HOME"/}
            if [[ ${agent_secret_owner[$path]-} == "$profile" ]]; then controls+=("$spec"); else refused+=("$spec"); fi
        done
        STATUS=0
        OUT=$(timeout 60 "$NONO" exec -q "${params[@]}" --profile "$profile" -- \
            /usr/bin/python3 -c "$probe" "${controls[@]}" "${refused[@]}" </dev/null 2>&1) || STATUS=$?
        [[ -n $workspace ]] && rm -f "$created_control"
        wrong=$(awk -v n=${#controls[@]} '
            NR <= n && $2 != "OPENED" { print "want OPENED: " $0 }
            NR > n && $2 != "EACCES" && $2 != "EPERM" && !($1 != "r" && $2 == "EROFS") { print "want EACCES or EPERM (EROFS for a write): " $0 }' <<<"$OUT")
        if ((STATUS == 0)) && [[ -z $wrong ]] && (($(wc -l <<<"$OUT") == ${#controls[@]} + ${#refused[@]})); then
            pass "$profile${label:+ (workspace $label)}: ${#refused[@]} secrets and run-later files refused, ${#controls[@]} controls open (an agent's own credentials among them)"
        else
            fail "$profile${label:+ (workspace $label)}: not every secret refused with EACCES/EPERM/EROFS (exit $STATUS)" "${wrong:-$OUT}"
        fi
    done
done

echo "profiles_run: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
