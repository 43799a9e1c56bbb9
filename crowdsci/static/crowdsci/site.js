// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher submits itself on change; its button stays for keyboard and no-JS users.
  const languageSelect = document.getElementById("language-select");
  if (languageSelect) {
    languageSelect.addEventListener("change", () => languageSelect.form.submit());
  }
});

// Forms marked data-autosubmit (filters) submit on change. Listening on the document also covers forms that htmx
// swaps in later. requestSubmit() fires a real submit event, so a form with hx-get is sent by htmx as a partial.
document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form[data-autosubmit]");
  if (form) {
    form.requestSubmit();
  }
});
