#!/usr/bin/env bash
# Every C++ snippet in the README, docs/*.md and tutorials/*/README.md is
# checked, so none can rot (a ctest entry, `doc_snippets`):
# - a block that has an #include line is a complete program or file: it must
#   compile (g++ -fsyntax-only against this tree's headers);
# - any other block is an excerpt: each of its lines (spaces trimmed, a
#   trailing // comment dropped; a line `...` marks elided code) must occur
#   in the code it quotes: the
#   tutorial's own sources for a tutorial README, the library and tutorial
#   sources for the rest.
# Usage: check_snippets.sh <source dir> <c++ compiler> [extra compiler flags...]
set -uo pipefail
src=$1
cxx=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalize() {  # stdin -> one normalized code line per line, blank lines dropped
    sed -e 's|[[:space:]]//.*$||' -e 's|^//.*$||' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v -x -e '' -e '[.][.][.]'
}

# The code an excerpt may quote, normalized once per corpus.
find "$src/tensor" "$src/autograd" "$src/layers" "$src/optim" "$src/iot" "$src/tutorials" \
     -name '*.cpp' -o -name '*.hpp' | sort | xargs cat | normalize | sort -u >"$tmp/all.txt"

blocks=0 compiled=0 excerpts=0 failed=0
check_file() {
    local md=$1 corpus=$2 n=0
    # Split the Markdown into one file per ```cpp block.
    awk -v out="$tmp/block" '/^```cpp[[:space:]]*$/ { n++; f = out "_" n ".cpp"; inb = 1; printf "" > f; next }
         /^```/ { inb = 0; next } inb { print > f }' "$md"
    for b in "$tmp"/block_*.cpp; do
        [[ -e $b ]] || continue
        n=$((n + 1))
        blocks=$((blocks + 1))
        local where="${md#"$src"/} block $n"
        if grep -q '^[[:space:]]*#include' "$b"; then
            compiled=$((compiled + 1))
            if ! "$cxx" -std=c++17 -fsyntax-only -Wall -Wextra -I"$src" "$@" -x c++ "$b" 2>"$tmp/err"; then
                echo "FAIL $where: does not compile:"
                sed 's/^/    /' "$tmp/err" | head -20
                failed=$((failed + 1))
            fi
        else
            excerpts=$((excerpts + 1))
            local missing
            missing=$(normalize <"$b" | sort -u | comm -23 - "$corpus")
            if [[ -n $missing ]]; then
                echo "FAIL $where: these lines are not in the code it quotes (${corpus##*/}):"
                echo "$missing" | sed 's/^/    /' | head -10
                failed=$((failed + 1))
            fi
        fi
        rm -f "$b"
    done
}

for md in "$src/README.md" "$src"/docs/*.md; do
    check_file "$md" "$tmp/all.txt" "$@"
done
for md in "$src"/tutorials/*/README.md; do
    dir=$(dirname "$md")
    find "$dir" -name '*.cpp' -o -name '*.hpp' | sort | xargs cat | normalize | sort -u >"$tmp/tutorial.txt"
    check_file "$md" "$tmp/tutorial.txt" "$@"
done

echo "doc snippets: $blocks C++ blocks, $compiled compiled, $excerpts excerpts checked against the code, $failed failed"
[[ $failed -eq 0 ]]
