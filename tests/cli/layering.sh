#!/usr/bin/env bash
# Folders include one way, bottom to top:
#
#   plan/               the plan format: what the compiler writes and the runtime applies,
#                       and the pure facts both decide by (includes nothing above)
#   core/               sources, diagnostics, the AST, path text and globs
#   grammar/            the .nono front end (PEGTL rules, parser, printer)
#   yaml/               the YAML form (its strings read with grammar/'s rules)
#   compiler/           resolve, lower, the IR, passes, queries, the driver
#   compiler/emitters/  Landlock, seccomp, SBPL, plan
#   runtime/            applying a plan: Landlock, seccomp, namespaces, the supervisor
#   cli/                the mains
#
#   plan ← core ← grammar ← yaml ← compiler ← compiler/emitters ← cli
#   plan ← runtime ← cli
#
# A folder may include its own headers and those of the folders it stands on (above: to
# its left), and nothing else: so the compiler and the runtime know nothing of each other.
# Each #include "…" of every .cpp and .hpp under these folders is checked; the script fails,
# naming the file and the line, when one reaches elsewhere. It first checks itself on trees
# with one such include planted (upwards, and from the compiler into the runtime), so that
# it cannot pass by finding nothing.
set -uo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"

folders=(plan core grammar yaml compiler compiler/emitters runtime cli)
declare -A may_include=(
    [plan]="plan"
    [core]="plan core"
    [grammar]="plan core grammar"
    [yaml]="plan core grammar yaml"
    [compiler]="plan core grammar yaml compiler"
    [compiler/emitters]="plan core grammar yaml compiler compiler/emitters"
    [runtime]="plan runtime"
    [cli]="plan core grammar yaml compiler compiler/emitters runtime cli"
)

# The folder of a path or an included header, by its longest folder prefix; empty: none.
folder_of() {
    local path=$1 f best=""
    for f in "${folders[@]}"; do
        [[ $path == "$f"/* && ${#f} -gt ${#best} ]] && best=$f
    done
    echo "$best"
}

# Prints every include that reaches outside its folder's ground under the tree at $1;
# fails when there is one.
check_tree() {
    local root=$1 bad=0 file line header from to
    while IFS= read -r file; do
        from=$(folder_of "${file#"$root"/}")
        [[ -z $from ]] && continue
        while IFS= read -r line; do
            header=$(sed -E 's/^[0-9]+:#include "([^"]+)".*/\1/' <<<"$line")
            to=$(folder_of "$header")
            [[ -z $to ]] && continue
            if [[ " ${may_include[$from]} " != *" $to "* ]]; then
                echo "${file#"$root"/}:${line%%:*}: $from/ includes $header, from $to/, which it does not stand on"
                bad=1
            fi
        done < <(grep -nE '^#include "' "$file")
    done < <(find "$root/plan" "$root/core" "$root/grammar" "$root/yaml" "$root/compiler" "$root/runtime" "$root/cli" \
                  -name '*.cpp' -o -name '*.hpp' | sort)
    return $bad
}

planted=$(mktemp -d)
trap 'rm -rf "$planted"' EXIT
plant() {
    rm -rf "${planted:?}"/*
    mkdir -p "$planted"/{plan,core,grammar,yaml,compiler,runtime,cli}
    echo "#include \"$2\"" >"$planted/$1"
    if check_tree "$planted" >/dev/null; then
        echo "FAIL the checker did not see $1 including $2"
        exit 1
    fi
}
plant core/planted.hpp compiler/ir.hpp
plant compiler/planted.cpp runtime/sandbox.hpp
plant runtime/planted.cpp compiler/ir.hpp
plant plan/planted.hpp core/paths.hpp

if ! check_tree .; then
    echo "FAIL folders include upwards or across (see above)"
    exit 1
fi
echo "layering: every include goes down (plan ← core ← grammar ← yaml ← compiler ← compiler/emitters ← cli; plan ← runtime ← cli)"
