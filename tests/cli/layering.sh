#!/usr/bin/env bash
# Folders include one way, bottom to top:
#
#   runtime/            the plan format and applying it (includes nothing above)
#   core/               sources, diagnostics, the AST, path text and globs
#   grammar/            the .nono front end (PEGTL rules, parser, printer)
#   yaml/               the YAML form (its strings read with grammar/'s rules)
#   compiler/           resolve, lower, the IR, passes, queries, the driver
#   compiler/emitters/  Landlock, seccomp, SBPL, plan
#   cli/                the mains
#
# A folder may include its own headers and those of any folder below it. Each #include "…"
# of every .cpp and .hpp under these folders is checked; the script fails, naming the file
# and the line, when one reaches up. It first checks itself on a tree with one such include
# planted, so that it cannot pass by finding nothing.
set -uo pipefail
cd "${NONO_REPO:-$(dirname "$0")/../..}"

layers=(runtime core grammar yaml compiler compiler/emitters cli)

# The layer index of a path or an included header, by its longest folder prefix.
layer_of() {
    local path=$1 i best=-1
    for i in "${!layers[@]}"; do
        [[ $path == "${layers[$i]}"/* ]] && best=$i
    done
    echo "$best"
}

# Prints every upward include under the tree at $1; fails when there is one.
check_tree() {
    local root=$1 bad=0 file line header from to
    while IFS= read -r file; do
        from=$(layer_of "${file#"$root"/}")
        [[ $from -lt 0 ]] && continue
        while IFS= read -r line; do
            header=$(sed -E 's/^[0-9]+:#include "([^"]+)".*/\1/' <<<"$line")
            to=$(layer_of "$header")
            if [[ $to -gt $from ]]; then
                echo "${file#"$root"/}:${line%%:*}: ${layers[$from]}/ includes $header, from ${layers[$to]}/ above it"
                bad=1
            fi
        done < <(grep -nE '^#include "' "$file")
    done < <(find "$root/runtime" "$root/core" "$root/grammar" "$root/yaml" "$root/compiler" "$root/cli" \
                  -name '*.cpp' -o -name '*.hpp' | sort)
    return $bad
}

planted=$(mktemp -d)
trap 'rm -rf "$planted"' EXIT
mkdir -p "$planted"/{runtime,core,grammar,yaml,compiler,cli}
echo '#include "compiler/ir.hpp"' >"$planted/core/planted.hpp"
if check_tree "$planted" >/dev/null; then
    echo "FAIL the checker did not see core/ including compiler/"
    exit 1
fi

if ! check_tree .; then
    echo "FAIL folders include upwards (see above)"
    exit 1
fi
echo "layering: every include goes down (${layers[*]})"
