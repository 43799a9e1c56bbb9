// Kit resources: the "Print the guide" button (a static file: the Content-Security-Policy allows no inline code).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-kits-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
