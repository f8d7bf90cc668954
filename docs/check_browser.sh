#!/bin/sh
# The built site in a real browser, with no network: headless Chromium opens
# each page from file://, lets MathJax run (virtual time), and this fails if
#   - any resource failed to load (a file:// the page asked for is missing,
#     the console's "Failed to load resource",
#     net::ERR_..., a blocked file, a script error, MathJax's "File failed to
#     load" or web-font warning),
#   - MathJax did not typeset every formula Doxygen wrote (each \( \) and
#     \[ \] of the page must have become a MathJax element),
#   - a raw \( \[ \f$ or $$ is left in the page's visible text (outside
#     scripts, code fragments and <code>), or a Math Processing Error shows.
# It saves a screenshot of each page to build/docs/screenshots/ (CI artefacts).
# Run after `make docs`: sh docs/check_browser.sh [page.html ...] (relative to
# build/docs/html; default: the home page, the ops page, the recurrent-layers
# page, nn::LSTM, the equations page and two tutorials).
set -u
cd "$(dirname "$0")/.."
site=$PWD/build/docs/html
shots=build/docs/screenshots
[ -f "$site/index.html" ] || { echo "check_browser.sh: no $site/index.html (run make docs)" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check_browser.sh: no chromium (sh tests/setup_package.sh chromium)" >&2; exit 1; }

if [ $# -eq 0 ]; then
    set -- index.html ops_8hpp.html recurrent_8hpp.html classiotgrad_1_1nn_1_1LSTM.html \
        equations.html tutorial_04_softmax_cross_entropy.html tutorial_07_rnn_lstm.html
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$shots"

# Headless, no network (every host name fails to resolve, a dead proxy): no background requests, no updates, no sync; a fresh
# profile each run. --virtual-time-budget runs the page's timers (MathJax) to
# completion before the DOM or the screenshot is taken.
run() {
    rm -rf "$tmp/profile"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-default-apps \
        --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server=http://127.0.0.1:9 \
        --user-data-dir="$tmp/profile" --virtual-time-budget=10000 "$@" 2>>"$tmp/log" </dev/null
}

# The visible text of an HTML page: scripts, styles, code fragments and <code>
# removed, then every tag.
visible_text() {
    awk 'BEGIN { RS = "\001" }
    function drop(s, from, upto,    out, i, j) {
        out = ""
        while ((i = index(s, from)) > 0) {
            j = index(substr(s, i + length(from)), upto)
            if (j == 0) break
            out = out substr(s, 1, i - 1) " "
            s = substr(s, i + length(from) + j - 1 + length(upto))
        }
        return out s
    }
    {
        s = $0
        gsub(/<script[^>]*>/, "<script>", s)
        s = drop(s, "<script>", "</script>")
        s = drop(s, "<style", "</style>")
        s = drop(s, "<div class=\"fragment\">", "<!-- fragment -->")
        s = drop(s, "<code>", "</code>")
        gsub(/<[^>]*>/, " ", s)
        print s
    }' "$1"
}

count() { grep -o -- "$1" "$2" | wc -l; }

failed=0
for page in "$@"; do
    name=${page%.html}
    url="file://$site/$page"
    if [ ! -f "$site/$page" ]; then
        echo "FAIL $page: no such page in $site"; failed=1; continue
    fi
    : >"$tmp/log"
    run --enable-logging=stderr --v=0 --vmodule=file_url_loader_factory=1 --dump-dom "$url" >"$tmp/dom.html"
    run --hide-scrollbars --window-size=1280,2000 --screenshot="$PWD/$shots/$name.png" "$url" >/dev/null
    problems=""
    # MathJax's own font test loads url(about:blank) on purpose: not a failure.
    if grep -E 'Failed to load resource|net::ERR_|Not allowed to load|blocked by CORS|Uncaught|File failed to load' "$tmp/log" |
        grep -v "about:blank" >"$tmp/errors"; then
        problems="$problems; resources: $(sort -u "$tmp/errors" | sed 's/.*CONSOLE[^"]*//' | head -3 | tr '\n' ' ')"
    fi
    # Chromium does not report a missing font file on the console: check that
    # every file:// the page asked for (logged by the file loader) exists.
    missing=$(sed -n 's|.*FileURLLoader::Start: file://\([^?#]*\).*|\1|p' "$tmp/log" | sort -u |
        while read -r f; do [ -f "$(printf '%b' "$(echo "$f" | sed 's/%/\\x/g')")" ] || echo "$f"; done)
    [ -z "$missing" ] || problems="$problems; missing files: $(echo "$missing" | head -3 | tr '\n' ' ')"
    loaded=$(grep -c 'FileURLLoader::Start' "$tmp/log")
    visible_text "$site/$page" >"$tmp/before.txt"
    formulas=$(( $(count '\\(' "$tmp/before.txt") + $(count '\\\[' "$tmp/before.txt") ))
    typeset=$(count '<script type="math/tex' "$tmp/dom.html")
    spans=$(count 'class="MathJax\(_Display\)\{0,1\}"' "$tmp/dom.html")
    [ "$typeset" -ge "$formulas" ] && [ "$spans" -ge "$formulas" ] ||
        problems="$problems; MathJax typeset $typeset of $formulas formulas ($spans MathJax elements)"
    grep -q 'class="MathJax_Error"\|class="merror"\|id="MathJax_FontWarning"\|Math Processing Error' "$tmp/dom.html" &&
        problems="$problems; MathJax reported an error or a font warning"
    visible_text "$tmp/dom.html" >"$tmp/after.txt"
    raw=$(grep -o -- '\\(\|\\\[\|\\f\$\|\$\$' "$tmp/after.txt" | sort | uniq -c | tr -s ' \n' ' ')
    [ -z "$raw" ] || problems="$problems; raw delimiters in the text:$raw"
    [ -s "$shots/$name.png" ] || problems="$problems; no screenshot"
    if [ -n "$problems" ]; then
        echo "FAIL $page${problems}"
        failed=1
    else
        echo "ok   $page: $formulas formulas typeset, $loaded files loaded, none missing, screenshot $shots/$name.png"
    fi
done
[ $failed -eq 0 ] && echo "check_browser.sh: $# pages render offline in $($browser --version 2>/dev/null | head -1)"
exit $failed
