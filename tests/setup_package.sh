#!/bin/sh
# The Makefile's set-up step: `sh tests/setup_package.sh catch2|cmake|g++|doxygen|mathjax|chromium`
# makes sure that one build dependency is there. If it is missing, it is
# installed with apt-get when this runs as root or with passwordless sudo;
# otherwise the script stops with one line giving the exact command.
# Catch2: Debian 12 ships v2, newer systems v3; the tests build with either.
# doxygen and mathjax (MathJax 2, copied into the site so that equations render
# offline) are for `make docs`; chromium (headless) checks the built site in CI.
set -u
what=${1:?usage: setup_package.sh catch2|cmake|g++|doxygen|mathjax|chromium}

have_catch2() {
    for prefix in $(echo "${CMAKE_PREFIX_PATH:-}" | tr ':' ' ') /usr /usr/local /opt/homebrew /opt/local ${HOMEBREW_PREFIX:-}; do
        for dir in "$prefix"/lib/cmake/Catch2 "$prefix"/lib64/cmake/Catch2 "$prefix"/share/cmake/Catch2 \
                   "$prefix"/lib/*/cmake/Catch2 "$prefix"/Catch2; do
            if [ -f "$dir/Catch2Config.cmake" ] || [ -f "$dir/catch2-config.cmake" ]; then
                return 0
            fi
        done
    done
    return 1
}

case $what in
    catch2) package=catch2 brew=catch2 purpose="make test needs Catch2" ;;
    cmake) package=cmake brew=cmake purpose="the build needs CMake" ;;
    g++) package=g++ brew="" purpose="the build needs a C++17 compiler" ;;
    doxygen) package=doxygen brew=doxygen purpose="make docs needs Doxygen" ;;
    mathjax) package=libjs-mathjax brew="" purpose="make docs needs MathJax 2 (in /usr/share/javascript/mathjax)" ;;
    chromium) package=chromium brew="" purpose="the browser check of the docs needs Chromium" ;;
    *) echo "setup_package.sh: unknown dependency '$what'" >&2; exit 2 ;;
esac

present() {
    case $what in
        catch2) have_catch2 ;;
        cmake) command -v cmake >/dev/null 2>&1 ;;
        g++) command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1 ;;
        doxygen) command -v doxygen >/dev/null 2>&1 ;;
        mathjax) [ -f "${MATHJAX_DIR:-/usr/share/javascript/mathjax}/MathJax.js" ] ;;
        chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ;;
    esac
}

present && exit 0

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "$purpose, which is not installed: run \`sudo apt-get install $package\`, then the same make command again" >&2
        exit 1
    fi
    echo "$purpose, which is not installed; installing it: ${sudo:+$sudo }apt-get install -y $package"
    # A fresh machine may have no package lists yet: update once if the first try fails.
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" </dev/null; then
        $sudo apt-get update -q </dev/null &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" </dev/null
    fi
    present && exit 0
    echo "apt-get did not install $package (see above): install it and run the same make command again" >&2
    exit 1
fi

if command -v brew >/dev/null 2>&1 && [ -n "$brew" ]; then
    echo "$purpose, which is not installed: run \`brew install $brew\`, then the same make command again" >&2
else
    echo "$purpose, which is not installed: install it with your package manager (Debian/Ubuntu: \`sudo apt-get install $package\`), then run the same make command again" >&2
fi
exit 1
