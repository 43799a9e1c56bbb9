// The catalog's browse page: filters open beside the results on wide screens and folded into a disclosure on
// phones (the page works without this script: the disclosure then opens by hand), and after a filter changes the
// results are brought into view.
(() => {
  "use strict";
  const WIDE = window.matchMedia("(min-width: 48.01rem)");

  function openWhenWide(root) {
    root.querySelectorAll("details[data-open-when-wide]").forEach((details) => {
      details.classList.toggle("is-wide", WIDE.matches);
      if (WIDE.matches) details.open = true;
    });
  }

  document.addEventListener("DOMContentLoaded", () => openWhenWide(document));
  WIDE.addEventListener("change", () => openWhenWide(document));
  document.body && document.body.addEventListener("htmx:load", (event) => openWhenWide(event.target));
  document.addEventListener("htmx:load", (event) => openWhenWide(event.target));

  document.addEventListener("htmx:afterSwap", (event) => {
    const results = document.getElementById("catalog-results");
    if (!results || !event.detail.target || event.detail.target.id !== "catalog-browse") return;
    const top = results.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) {
      results.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  });
})();
