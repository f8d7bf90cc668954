#!/bin/sh
# make test's first step: make sure Catch2 (the tests' only dependency) is
# installed. If it is missing, install it with apt-get when this runs as root or
# with passwordless sudo; otherwise stop with one line giving the exact command.
# Debian 12 ships Catch2 v2, newer systems v3: the tests build with either.
set -u

have_catch2() {
    for prefix in ${CMAKE_PREFIX_PATH:-} /usr /usr/local /opt/homebrew /opt/local ${HOMEBREW_PREFIX:-}; do
        for dir in "$prefix"/lib/cmake/Catch2 "$prefix"/lib64/cmake/Catch2 "$prefix"/share/cmake/Catch2 \
                   "$prefix"/lib/*/cmake/Catch2 "$prefix"/Catch2; do
            if [ -f "$dir/Catch2Config.cmake" ] || [ -f "$dir/catch2-config.cmake" ]; then
                return 0
            fi
        done
    done
    return 1
}

have_catch2 && exit 0

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "make test needs Catch2, which is not installed: run \`sudo apt-get install catch2\`, then \`make test\` again" >&2
        exit 1
    fi
    echo "make test: Catch2 is not installed; installing it: ${sudo:+$sudo }apt-get install -y catch2"
    # A fresh machine may have no package lists yet: update once if the first try fails.
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q catch2 </dev/null; then
        $sudo apt-get update -q </dev/null &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q catch2 </dev/null
    fi
    have_catch2 && exit 0
    echo "make test: apt-get did not install Catch2 (see above); install the package catch2 and run \`make test\` again" >&2
    exit 1
fi

if command -v brew >/dev/null 2>&1; then
    echo "make test needs Catch2, which is not installed: run \`brew install catch2\`, then \`make test\` again" >&2
else
    echo "make test needs Catch2 (v2 or v3), which is not installed: install it with your package manager (Debian/Ubuntu: \`sudo apt-get install catch2\`), then run \`make test\` again" >&2
fi
exit 1
