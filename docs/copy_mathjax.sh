#!/bin/sh
# `make docs`, step 3: copy the part of MathJax 2 the site uses into the HTML
# output, so that equations render with no network (Doxyfile: MATHJAX_RELPATH
# = mathjax). Debian's libjs-mathjax is 54 MB; the pages need about 2 MB of it:
# MathJax.js, the tex2jax/TeX extensions and the menu (extensions/), the TeX
# input (jax/input/TeX), the element jax, the HTML-CSS output with its TeX font
# data, and the TeX web fonts in WOFF (every current browser reads WOFF; the
# OTF/SVG copies, STIX fonts, other outputs, configs and translations stay out;
# docs/mathjax_config.js tells MathJax not to look for them).
# usage: sh docs/copy_mathjax.sh OUTDIR   (MATHJAX_DIR overrides the source)
set -eu
src=${MATHJAX_DIR:-/usr/share/javascript/mathjax}
dst=${1:?usage: copy_mathjax.sh OUTDIR}
if [ ! -f "$src/MathJax.js" ]; then
    echo "copy_mathjax.sh: no MathJax 2 in $src (sh tests/setup_package.sh mathjax installs it)" >&2
    exit 1
fi
rm -rf "$dst"
for part in MathJax.js extensions jax/element jax/input/TeX \
            jax/output/HTML-CSS/config.js jax/output/HTML-CSS/jax.js \
            jax/output/HTML-CSS/autoload jax/output/HTML-CSS/fonts/TeX \
            fonts/HTML-CSS/TeX/woff; do
    mkdir -p "$dst/$(dirname "$part")"
    cp -RL "$src/$part" "$dst/$part"
done
echo "copy_mathjax.sh: MathJax 2 in $dst ($(du -sk "$dst" | cut -f1) KB)"
