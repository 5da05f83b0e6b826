// storybrief serve: niceties only; every page works without this script.
// - A cited span linked as /documents/ID#c-START-END (no ?start=&end=) is fetched marked:
//   the page is reloaded with the span in the query, which the server marks.
// - The pieces of a marked span light up together; a span marked by ?start=&end= without a
//   fragment is scrolled to.
(function () {
  "use strict";
  var SPAN = /^c-(\d+)-(\d+)$/;
  function currentId() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }
  function flash(id) {
    document.querySelectorAll("mark.flash").forEach(function (el) { el.classList.remove("flash"); });
    if (!id) { return; }
    document.querySelectorAll("mark[data-span]").forEach(function (el) {
      if (el.getAttribute("data-span") === id) { el.classList.add("flash"); }
    });
  }
  function fromHash() {
    var id = currentId();
    var found = SPAN.exec(id);
    if (found && !document.getElementById(id) && document.querySelector(".doctext")) {
      var params = new URLSearchParams(location.search);
      params.set("start", found[1]);
      params.set("end", found[2]);
      location.replace(location.pathname + "?" + params.toString() + "#" + id);
      return;
    }
    flash(id);
  }
  function start() {
    window.addEventListener("hashchange", fromHash);
    if (location.hash) { fromHash(); return; }
    var marked = document.querySelector(".doctext mark[id]");
    if (marked) {
      flash(marked.id);
      marked.scrollIntoView({block: "center"});
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
