#!/bin/sh
# `make docs`, step 1: the Markdown pages Doxygen reads from build/docs/.
# GitHub renders $...$ math and Doxygen does not, so every page written for
# GitHub goes through docs/gfm_math.awk ($ -> \f$, $$ -> \f[ \f]):
#   tutorials/NN_name/README.md -> build/docs/tutorials/NN_name.md, page
#       tutorial_NN_name, ending with "Code walked through": a link to the
#       reference page of every documented source file the tutorial names;
#   docs/equations.md           -> build/docs/pages/equations.md, page equations;
#   docs/mainpage.md            -> build/docs/pages/mainpage.md, with the list of
#       tutorials (in the order of their numbers) in place of the marker line
#       "<!-- tutorials -->".
# Tutorials are found by the glob tutorials/*/README.md, so a new one is in the
# site with no change here.
set -eu
cd "$(dirname "$0")/.."
out=build/docs
awk="awk -f docs/gfm_math.awk"

rm -rf "$out/tutorials" "$out/pages"
mkdir -p "$out/tutorials" "$out/pages"

list=$out/pages/tutorial_list.md
: >"$list"
for readme in tutorials/*/README.md; do
    [ -f "$readme" ] || continue
    dir=$(dirname "$readme")
    name=$(basename "$dir")
    page=tutorial_$name
    md=$out/tutorials/$name.md
    $awk -v label="$page" "$readme" >"$md"
    {
        echo
        echo "## Code walked through"
        echo
        echo "The program is \`$dir/main.cpp\` (\`make tutorials\` builds and runs it)."
        echo "The reference pages of the library code this tutorial uses:"
        echo
        # Every repository path the README names in inline code, in order of
        # first mention, that Doxygen documents (a \file comment; tests are
        # not in the reference).
        grep -o '`[A-Za-z0-9_]*/[A-Za-z0-9_/]*\.[ch]pp`' "$readme" | tr -d '`' | awk '!seen[$0]++' |
            while read -r path; do
                case $path in tests/*|tutorials/*) continue ;; esac
                if [ -f "$path" ] && grep -q '^/// *[\\@]file' "$path"; then
                    printf '%s\n' "- \\ref $path"
                fi
            done
    } >>"$md"
    echo "- \\subpage $page" >>"$list"
done

$awk -v label=equations docs/equations.md >"$out/pages/equations.md"

# The main page: the tutorial list replaces the marker line.
awk -v list="$list" '
    /^<!-- tutorials -->$/ { while ((getline l < list) > 0) print l; found = 1; next }
    { print }
    END { if (!found) { print "pages.sh: docs/mainpage.md has no <!-- tutorials --> line" > "/dev/stderr"; exit 1 } }
' docs/mainpage.md | $awk |
    # Links to the other docs/ pages: relative to the new place of the file.
    sed 's|](\([A-Za-z0-9_]*\.md\))|](../../../docs/\1)|g' >"$out/pages/mainpage.md"
rm -f "$list"
echo "pages.sh: $(ls "$out/tutorials" | wc -l) tutorials, equations and the main page in $out/"
