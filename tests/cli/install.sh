#!/usr/bin/env bash
# Install and packaging: `cmake --install` into a staging prefix puts every file where a
# Debian package does, and nothing else; the installed nonoc checks every installed
# profile; man pages, completions and editor files are well-formed; and the .deb that
# CPack builds holds exactly the same files.
# Run by ctest with $NONO, $NONOC (in the build directory) and $NONO_REPO set.
set -euo pipefail

build=$(dirname "$NONOC")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
staging=$work/staging
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

need() {
    command -v "$1" >/dev/null || { echo "install.sh: $1 is needed (scripts/setup installs it)" >&2; exit 1; }
}
for tool in cmake cpack dpkg-deb gzip groff bash zsh fish python3; do need "$tool"; done

# The man pages are built by the `man` target; the test may run after a partial build.
cmake --build "$build" --target nono nonoc man >/dev/null
cmake --install "$build" --prefix "$staging" >/dev/null

# ---- The layout: exactly the expected files -------------------------------------------

expected=(
    bin/nono bin/nonoc
    share/man/man1/nono.1.gz share/man/man1/nonoc.1.gz share/man/man5/nono-profile.5.gz
    share/bash-completion/completions/nono share/bash-completion/completions/nonoc
    share/zsh/vendor-completions/_nono share/zsh/vendor-completions/_nonoc
    share/fish/vendor_completions.d/nono.fish share/fish/vendor_completions.d/nonoc.fish
    share/nono/editors/nono.tmLanguage.json share/nono/editors/package.json
    share/nono/editors/language-configuration.json share/nono/editors/README.md
    share/doc/nono/README.md share/doc/nono/language.md
)
for f in "$NONO_REPO"/profiles/*.nono; do expected+=("share/nono/profiles/$(basename "$f")"); done
for f in "$NONO_REPO"/schemas/*.json; do
    [[ -e $f ]] && expected+=("share/nono/schemas/$(basename "$f")")
done

diff <(printf '%s\n' "${expected[@]}" | sort) <(cd "$staging" && find . -type f -printf '%P\n' | sort) \
    >"$work/layout.diff" || fail "installed files differ from the expected layout (< expected, > installed):
$(cat "$work/layout.diff")"

for f in bin/nono bin/nonoc; do [[ -x $staging/$f ]] || fail "$f is not executable"; done

# ---- The installed binaries against the installed profiles ----------------------------

version=$("$staging/bin/nonoc" --version) || fail "nonoc --version failed"
[[ $version == "nonoc "* ]] || fail "nonoc --version printed '$version'"
"$staging/bin/nono" --version >/dev/null || fail "nono --version failed"

profiles=("$staging"/share/nono/profiles/*.nono)
((${#profiles[@]} >= 19)) || fail "only ${#profiles[@]} profiles installed"
for p in "${profiles[@]}"; do
    name=$(basename "$p" .nono)
    # Profile names are file names: `extends NAME` and `--profile NAME` find the file.
    if grep -q '^profile ' "$p"; then
        declared=$(sed -n 's/^profile \([a-z0-9._-]*\).*/\1/p' "$p")
        [[ $declared == "$name" ]] || fail "$name.nono declares profile '$declared'"
    fi
    # From a directory with no profiles, so that parents resolve from the installed folder.
    (cd "$work" && "$staging/bin/nonoc" check "$p") >"$work/check.out" 2>&1 ||
        fail "nonoc check $name.nono:
$(cat "$work/check.out")"
done

# ---- Man pages: gzip, and groff without warnings --------------------------------------

for page in "$staging"/share/man/man*/*.gz; do
    gzip -t "$page" || fail "$page is not valid gzip"
    warnings=$(gzip -dc "$page" | groff -man -Tutf8 -ww -z 2>&1)
    [[ -z $warnings ]] || fail "$(basename "$page"): groff warnings:
$warnings"
done

# ---- Completions and editor files: valid in their own language -------------------------

for f in "$staging"/share/bash-completion/completions/*; do
    bash -n "$f" || fail "bash completion $(basename "$f") has a syntax error"
done
for f in "$staging"/share/zsh/vendor-completions/*; do
    zsh -n "$f" || fail "zsh completion $(basename "$f") has a syntax error"
    [[ $(head -1 "$f") == "#compdef $(basename "$f" | cut -c2-)" ]] || fail "$(basename "$f") lacks its #compdef line"
done
for f in "$staging"/share/fish/vendor_completions.d/*; do
    fish --no-execute "$f" || fail "fish completion $(basename "$f") has a syntax error"
done
for f in "$staging"/share/nono/editors/*.json; do
    python3 -m json.tool "$f" >/dev/null || fail "$(basename "$f") is not valid JSON"
done

# bash: the completion offers the subcommands and the --target values.
completions=$(bash -c '
    source "$1"
    _init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};
                         words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
    _filedir() { :; }
    complete() { :; }
    COMP_WORDS=(nonoc c); COMP_CWORD=1; _nonoc; echo "${COMPREPLY[*]}"
    COMP_WORDS=(nonoc compile x.nono --target ""); COMP_CWORD=4; _nonoc; echo "${COMPREPLY[*]}"
' _ "$staging/share/bash-completion/completions/nonoc")
[[ $completions == $'check compile convert\nlandlock seccomp sbpl plan all' ]] ||
    fail "bash completion for nonoc offered: $completions"

# ---- The .deb: the same files, under the package prefix --------------------------------

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 ||
    fail "cpack -G DEB failed: $(tail -5 "$work/cpack.log")"
deb=$(find "$work/package" -maxdepth 1 -name 'nono_*.deb' -print -quit)
if [[ -n $deb ]]; then
    prefix=$(sed -n 's/^set(CPACK_PACKAGING_INSTALL_PREFIX "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
    [[ $(dpkg-deb -f "$deb" Package) == nono ]] || fail "the package is not named nono"
    diff <(cd "$staging" && find . -type f -printf '%P\n' | sort) \
         <(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed "s|^\./${prefix#/}/||" | sort) \
         >"$work/deb.diff" || fail "the .deb holds other files than cmake --install (< install, > deb):
$(cat "$work/deb.diff")"
else
    fail "cpack produced no nono_*.deb"
fi

if ((failures)); then
    echo "install.sh: $failures failure(s)" >&2
    exit 1
fi
echo "install.sh: ${#expected[@]} files in place, ${#profiles[@]} profiles checked, .deb matches"
