#!/usr/bin/env bash
# Checks the one-way layering of docs/architecture.md:
#
#     tensor  <-  autograd  <-  layers, optim  <-  iot  <-  tutorials
#
# A file may include headers from its own folder and from folders to its left,
# never from a folder to its right; layers/ and optim/ are siblings and do not
# include each other. Includes are written from the repo root
# (`#include "tensor/tensor.hpp"`), so the first path component names the folder.
# Exit status 1 lists every offending line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Level of each folder: an include must go to a strictly lower level, or to the
# same folder.
level() {
    case $1 in
        tensor) echo 0 ;;
        autograd) echo 1 ;;
        layers | optim) echo 2 ;;
        iot) echo 3 ;;
        tutorials) echo 4 ;;
        *) echo -1 ;;
    esac
}

violations=0
checked=0
for from in tensor autograd layers optim iot tutorials; do
    [[ -d $from ]] || continue
    from_level=$(level "$from")
    while IFS= read -r hit; do
        [[ -n $hit ]] || continue
        # hit is "file:line:#include "folder/...""
        to=$(sed -E 's/^[^:]+:[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*"([^/"]+)\/.*/\1/' <<<"$hit")
        to_level=$(level "$to")
        checked=$((checked + 1))
        [[ $to_level -ge 0 ]] || continue  # not one of our folders (e.g. a local "detail/x.hpp")
        if [[ $to != "$from" && $to_level -ge $from_level ]]; then
            echo "layering violation: $from/ (level $from_level) includes $to/ (level $to_level): $hit"
            violations=$((violations + 1))
        fi
    done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^/"]+/' "$from" \
                 --include='*.hpp' --include='*.cpp' --include='*.h' || true)
done

if [[ $violations -gt 0 ]]; then
    echo "check_layering: $violations violation(s); see docs/architecture.md"
    exit 1
fi
echo "check_layering: OK ($checked includes checked: tensor <- autograd <- layers, optim <- iot <- tutorials)"
