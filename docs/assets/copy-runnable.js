/* Copy that pastes: the copy button of a doctest block copies only the code, runnable as is.
 *
 * Material's copy button copies the text of the block, or the data-copy attribute of the nearest
 * element that has one. For every block that starts with a ">>> " prompt, this sets data-copy on its
 * <pre> to the source lines without their ">>> " / "... " prompts and without the output lines,
 * following doctest's own rule: a "..." line continues the example only right after a source line
 * (so the "..." inside an expected traceback stays output). Other blocks are left alone.
 */
(function () {
  "use strict";

  const PROMPT = /^(\s*)>>>( |$)/;
  const CONTINUATION = /^(\s*)\.\.\.( |$)/;

  /* Returns the runnable source of a doctest block's text, or null when it is not a doctest block. */
  function doctestSource(text) {
    const lines = text.replace(/\n+$/, "").split("\n");
    const firstLine = lines.find((line) => line.trim() !== "");
    if (firstLine === undefined || !PROMPT.test(firstLine)) return null;
    const source = [];
    let inSource = false;
    for (const line of lines) {
      const prompt = line.match(PROMPT);
      const continuation = inSource ? line.match(CONTINUATION) : null;
      const match = prompt || continuation;
      if (match) {
        source.push(line.slice(match[0].length));
        inSource = true;
      } else {
        inSource = false; // an output line (or a blank one) ends the example
      }
    }
    return source.join("\n");
  }

  function markDoctestBlocks() {
    for (const code of document.querySelectorAll("pre > code")) {
      const pre = code.parentElement;
      if (pre.hasAttribute("data-copy")) continue;
      const source = doctestSource(code.textContent);
      if (source !== null) pre.setAttribute("data-copy", source);
    }
  }

  window.doctestSource = doctestSource;
  // Material re-renders the page content on instant navigation and announces it on document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(markDoctestBlocks);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markDoctestBlocks);
  else markDoctestBlocks();
})();
