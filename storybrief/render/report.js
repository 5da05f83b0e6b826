// Niceties only: citations work as plain anchors without this script.
// Following a citation also lights up the other pieces of a span that had to be split where
// cited spans overlap, and the citation a reader came from stays marked.
(function () {
  "use strict";
  function flash(id) {
    document.querySelectorAll(".flash").forEach(function (el) { el.classList.remove("flash"); });
    if (!id) { return; }
    document.querySelectorAll("mark[data-span]").forEach(function (el) {
      if (el.getAttribute("data-span") === id) { el.classList.add("flash"); }
    });
  }
  function fromHash() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ""; }
    flash(id);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
