# GitHub-flavoured Markdown math -> Doxygen formulas, for `make docs`
# (docs/pages.sh runs it on every tutorial README and on docs/equations.md):
#   $...$    ->  \f$...\f$    (inline)
#   $$...$$  ->  \f[...\f]    (display; may span lines)
# Fenced code blocks (``` or ~~~) and inline code (`...`, ``...``) are copied
# untouched, and so is an escaped \$. A lone $ with no closing $ later on the
# line (a price, a shell prompt) stays a plain $.
# Doxygen copies a Markdown heading as plain text (a \f$ in it would show raw),
# so a heading with math becomes an HTML heading of the same look (## is
# Doxygen's <h1> on a page, ### its <h2>); it has no entry in the page's
# table of contents.
# With -v label=NAME the first level-1 heading gets the Doxygen page label
# {#NAME}, so other pages can \ref it and the page is NAME.html.
#
# usage: awk -v label=tutorial_04_softmax_cross_entropy -f docs/gfm_math.awk README.md

BEGIN { fence = ""; display = 0; inline = 0; labelled = (label == "") }

# Does a closing inline $ exist in s after position i (outside inline code)?
function closes(s, i,    j, c) {
    for (j = i + 1; j <= length(s); j++) {
        c = substr(s, j, 1)
        if (c == "\\") { j++; continue }
        if (c == "$") return substr(s, j - 1, 1) != " "
    }
    return 0
}

# Length of the run of character c starting at position i of s.
function run(s, i, c,    n) {
    n = 0
    while (substr(s, i + n, 1) == c) n++
    return n
}

{
    line = $0

    # Inside a fenced code block: copy until the closing fence.
    if (fence != "") {
        if (match(line, /^[ \t]*(```+|~~~+)[ \t]*$/)) {
            t = line; gsub(/[ \t]/, "", t)
            if (substr(t, 1, 1) == substr(fence, 1, 1) && length(t) >= length(fence)) fence = ""
        }
        print line
        next
    }
    if (!display && match(line, /^[ \t]*(```+|~~~+)/)) {
        t = substr(line, RSTART, RLENGTH); gsub(/[ \t]/, "", t)
        fence = t
        print line
        next
    }

    # A blank line ends a paragraph: an inline formula never spans it.
    if (line ~ /^[ \t]*$/) inline = 0

    if (!labelled && line ~ /^# /) {
        sub(/[ \t]*$/, "", line)
        line = line " {#" label "}"
        labelled = 1
    }

    heading = (line ~ /^##+ /)
    out = ""
    n = length(line)
    for (i = 1; i <= n; i++) {
        c = substr(line, i, 1)
        if (c == "\\" && i < n) {                       # \$ and other escapes: as they are
            out = out substr(line, i, 2); i++; continue
        }
        if (!display && !inline && c == "`") {           # inline code: copy to the matching run
            k = run(line, i, "`")
            tick = substr(line, i, k)
            rest = substr(line, i + k)
            p = index(rest, tick)
            while (p > 0 && substr(rest, p + k, 1) == "`") {   # a longer run does not close
                q = index(substr(rest, p + k + 1), tick)
                p = (q > 0) ? p + k + q : 0
            }
            if (p == 0) { out = out tick; i += k - 1; continue }
            out = out tick substr(rest, 1, p - 1) tick
            i += k + p + k - 2
            continue
        }
        if (c == "$") {
            if (substr(line, i + 1, 1) == "$" && !inline) {
                out = out (display ? "\\f]" : "\\f[")
                display = !display
                i++
                continue
            }
            if (display) { out = out c; continue }
            if (inline) { out = out "\\f$"; inline = 0; continue }
            nx = substr(line, i + 1, 1)
            if (nx != "" && nx != " " && closes(line, i)) { out = out "\\f$"; inline = 1; continue }
            out = out c
            continue
        }
        out = out c
    }
    if (heading && index(out, "\\f$")) {
        level = run(out, 1, "#") - 1
        sub(/^#+[ \t]*/, "", out)
        sub(/[ \t]*#*[ \t]*$/, "", out)
        out = "<h" level ">" out "</h" level ">"
    }
    print out
}

END {
    if (fence != "") printf "gfm_math.awk: %s: unclosed code fence %s\n", FILENAME, fence > "/dev/stderr"
    if (display) printf "gfm_math.awk: %s: unclosed $$\n", FILENAME > "/dev/stderr"
    if (fence != "" || display) exit 1
}
