// Added to every page's MathJax configuration (Doxyfile: MATHJAX_CODEFILE).
// The site carries MathJax's TeX web fonts (docs/copy_mathjax.sh) and always
// uses them (availableFonts: [] skips locally installed fonts), so every
// reader sees the same rendering and the browser check tests what ships;
// STIX and image fonts are not copied, so never look for them.
MathJax.Hub.Config({
  "HTML-CSS": { availableFonts: [], preferredFont: null, webFont: "TeX", imageFont: null },
  menuSettings: { CHTMLpreview: false }
});
