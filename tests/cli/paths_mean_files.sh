#!/usr/bin/env bash
# Paths mean files, not spellings (DESIGN.md; issue 17), with real sandboxed processes. Each
# layout is tried plain and symlinked; every refusal has a control that reads the same file
# unsandboxed first, so a refusal is the sandbox's:
# - HOME reached through a symlink (/home/alice -> /data/alice) with the workspace at its real
#   path, a workspace given as a symlink to HOME, stow-managed dotfiles (~/.ssh and ~/.bashrc
#   symlinks into ~/dotfiles, which the workspace covers): the denied key stays unreadable by
#   every name, the run-later file unwritable;
# - a stated path (or a glob's match) inside a writable place that an earlier run replaced by
#   a symlink is not followed: `--exec ./.venv` -> / grants nothing outside;
# - an allowed path that names a denied file by another name is refused, both paths named;
# - `nono exec --dry-run` and `nonoc why` show the file a symlinked stated path names.
set -uo pipefail
: "${NONO:?}" "${NONOC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp  # its own, so that the workspaces below are not in a writable /tmp
mkdir -p "$TMPDIR"
failures=0
fail() { echo "FAIL: $1"; sed 's/^/  | /' "$work/out"; failures=$((failures + 1)); }
# sandboxed WANT DESCRIPTION -- CMD…: runs CMD, expects exit status WANT.
sandboxed() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>&1
  local got=$?
  [[ $got -eq $want ]] || fail "$what: exit $got, expected $want"
}
output_has() { grep -q -- "$2" "$work/out" || fail "$1: output lacks '$2'"; }
# readable FILE: the control, unsandboxed.
readable() { cat "$1" >/dev/null 2>&1 || { echo "FAIL: control: $1 is not readable unsandboxed"; failures=$((failures + 1)); }; }

# A home with a key, under its real path $real; $HOME is the name the user logs in with.
make_home() {
  local real=$1
  mkdir -p "$real/.ssh" "$real/project"
  echo "FAKE KEY" >"$real/.ssh/id_rsa"
}

# ---- HOME through a symlink, the workspace at the real path (getcwd gives it) -------------
for layout in plain symlinked; do
  base=$work/$layout
  make_home "$base/data/alice"
  if [[ $layout == symlinked ]]; then
    mkdir -p "$base/home" && ln -s ../data/alice "$base/home/alice"
  else
    mkdir -p "$base/home" && mv "$base/data/alice" "$base/home/alice" && ln -s ../home/alice "$base/data/alice"
  fi
  export HOME=$base/home/alice
  for name in "$base/home/alice" "$base/data/alice"; do
    readable "$name/.ssh/id_rsa"
    (cd "$name" && sandboxed 1 "$layout HOME, workspace $name: the key by the HOME name" -- "$NONO" run --allow-cwd /bin/cat "$HOME/.ssh/id_rsa")
    output_has "$layout HOME: cat says why" "Permission denied"
    (cd "$name" && sandboxed 1 "$layout HOME, workspace $name: the key by the real name" -- "$NONO" run --allow-cwd /bin/cat "$(realpath "$HOME")/.ssh/id_rsa")
    (cd "$name" && sandboxed 0 "$layout HOME, workspace $name: the workspace is writable" -- "$NONO" run --allow-cwd /bin/sh -c 'echo ok > project/made')
  done
done
[[ -f $work/symlinked/data/alice/project/made ]] || { echo "FAIL: the symlinked workspace was not written"; failures=$((failures + 1)); }

# ---- A workspace given as a symlink to HOME ----------------------------------------------
for layout in plain symlinked; do
  export HOME=$work/ws-$layout/home
  make_home "$HOME"
  workspace=$HOME
  [[ $layout == symlinked ]] && { ln -s "$HOME" "$work/ws-$layout/link"; workspace=$work/ws-$layout/link; }
  readable "$workspace/.ssh/id_rsa"
  sandboxed 1 "$layout workspace $workspace: the key through it" -- "$NONO" run --allow "$workspace" /bin/cat "$workspace/.ssh/id_rsa"
  sandboxed 1 "$layout workspace: the key by HOME" -- "$NONO" run --allow "$workspace" /bin/cat "$HOME/.ssh/id_rsa"
  sandboxed 0 "$layout workspace: the rest is readable" -- "$NONO" run --allow "$workspace" /bin/ls "$workspace/project"
done

# ---- stow: ~/.ssh and ~/.bashrc are symlinks into ~/dotfiles, the workspace --------------
for layout in plain symlinked; do
  export HOME=$work/stow-$layout
  mkdir -p "$HOME/dotfiles/ssh" "$HOME/dotfiles/notes"
  echo "FAKE KEY" >"$HOME/dotfiles/ssh/id_rsa"
  echo "# rc" >"$HOME/dotfiles/bashrc"
  if [[ $layout == symlinked ]]; then
    ln -s dotfiles/ssh "$HOME/.ssh" && ln -s dotfiles/bashrc "$HOME/.bashrc"
  else
    mkdir "$HOME/.ssh" && mv "$HOME/dotfiles/ssh/id_rsa" "$HOME/.ssh/" && mv "$HOME/dotfiles/bashrc" "$HOME/.bashrc"
    echo "FAKE KEY" >"$HOME/dotfiles/ssh/id_rsa"  # a plain file of the workspace: readable
  fi
  readable "$HOME/.ssh/id_rsa"
  cd "$HOME/dotfiles"
  sandboxed 1 "$layout stow: ~/.ssh/id_rsa" -- "$NONO" run --allow-cwd /bin/cat "$HOME/.ssh/id_rsa"
  want=1; [[ $layout == plain ]] && want=0
  sandboxed $want "$layout stow: dotfiles/ssh/id_rsa (the key itself only when symlinked)" -- "$NONO" run --allow-cwd /bin/cat "$HOME/dotfiles/ssh/id_rsa"
  sandboxed 2 "$layout stow: ~/.bashrc is not writable" -- "$NONO" run --allow-cwd /bin/sh -c "echo evil >> $HOME/.bashrc"
  [[ $layout == symlinked ]] && sandboxed 2 "stow: dotfiles/bashrc is not writable" -- "$NONO" run --allow-cwd /bin/sh -c "echo evil >> $HOME/dotfiles/bashrc"
  sandboxed 0 "$layout stow: the rest of the workspace is writable" -- "$NONO" run --allow-cwd /bin/sh -c 'echo ok > notes/n'
  grep -q evil "$HOME/.bashrc" && { echo "FAIL: $layout stow: ~/.bashrc was written"; failures=$((failures + 1)); }
  cd "$work"
done
export HOME=$work/stow-symlinked
sandboxed 0 "--dry-run shows the file a stated path names" -- "$NONO" exec --profile strict --dry-run /bin/true
output_has "--dry-run: ~/.ssh is dotfiles/ssh" "resolved: $HOME/.ssh -> $HOME/dotfiles/ssh"
sandboxed 1 "nonoc why on a symlinked stated path" -- "$NONOC" why strict --path "$HOME/.ssh/id_rsa" --access read
output_has "why: the deny's path is another file here" "on this machine: $HOME/.ssh/id_rsa is the file $HOME/dotfiles/ssh/id_rsa"

# ---- A stated path in the workspace replaced by a symlink to / -------------------------
mkdir -p "$work/outside" "$work/venv-project/.venv/bin"
echo "OUTSIDE" >"$work/outside/secret"
printf '#!/bin/sh\necho venv-tool\n' >"$work/venv-project/.venv/bin/tool" && chmod +x "$work/venv-project/.venv/bin/tool"
export HOME=$work/venv-home && mkdir -p "$HOME"
cd "$work/venv-project"
readable "$work/outside/secret"
sandboxed 0 "plain .venv: --exec runs its tool" -- "$NONO" run --allow-cwd --exec ./.venv ./.venv/bin/tool
output_has "the tool ran" "venv-tool"
mv .venv .venv-real && ln -s / .venv
sandboxed 1 "planted .venv -> /: nothing outside is readable" -- "$NONO" run --allow-cwd --exec ./.venv /bin/cat "$work/outside/secret"
sandboxed 0 "planted .venv -> /: the dry run says so" -- "$NONO" run --allow-cwd --exec ./.venv --dry-run /bin/true
output_has "the symlink is reported" "\.venv is a symlink in a place the sandbox can write; not followed"
cd "$work"

# ---- A glob's match in the workspace replaced by a symlink (the Go toolchain glob's case) --
mkdir -p "$work/glob-project/tools/t1"
echo "tool data" >"$work/glob-project/tools/t1/data"
printf 'profile globby extends strict {\n  allow read ${workspace}/tools/*\n}\n' >"$work/globby.nono"
cd "$work/glob-project"
sandboxed 0 "plain glob match: readable" -- "$NONO" exec --profile "$work/globby.nono" /bin/cat tools/t1/data
ln -s "$work/outside" tools/t2
sandboxed 1 "planted glob match -> outside: its target stays unreadable" -- "$NONO" exec --profile "$work/globby.nono" /bin/cat tools/t2/secret
sandboxed 0 "planted glob match: the dry run says so" -- "$NONO" exec --profile "$work/globby.nono" --dry-run /bin/true
output_has "the symlink is reported" "tools/t2 is a symlink in a place the sandbox can write; not followed"
cd "$work"

# ---- An allowed name for a denied file: refused, both named ------------------------------
export HOME=$work/alias-home
make_home "$HOME"
ln -s .ssh/id_rsa "$HOME/innocent"
readable "$HOME/innocent"
sandboxed 125 "an allow that names a denied file" -- "$NONO" run --read "$HOME/innocent" /bin/cat "$HOME/innocent"
output_has "both paths are named" "\"$HOME/innocent\" is \"$HOME/.ssh/id_rsa\", which the profile denies as \"$HOME/.ssh\""
sandboxed 125 "the dry run refuses it alike" -- "$NONO" run --read "$HOME/innocent" --dry-run /bin/true
output_has "both paths are named" "\"$HOME/innocent\" is \"$HOME/.ssh/id_rsa\", which the profile denies as \"$HOME/.ssh\""

if ((failures)); then echo "paths mean files: $failures failure(s)"; exit 1; fi
echo "paths mean files: ok"
