// Added to every page's MathJax configuration (Doxyfile: MATHJAX_CODEFILE).
// The site carries only MathJax's TeX web fonts (docs/copy_mathjax.sh): never
// look for STIX or image fonts, which are not copied.
MathJax.Hub.Config({
  "HTML-CSS": { availableFonts: ["TeX"], preferredFont: "TeX", webFont: "TeX", imageFont: null },
  menuSettings: { CHTMLpreview: false }
});
