// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher submits itself on change; its button stays for keyboard and no-JS users.
  const languageSelect = document.getElementById("language-select");
  if (languageSelect) {
    languageSelect.addEventListener("change", () => languageSelect.form.submit());
  }
  // Forms marked data-autosubmit (filters) submit on change; HTMX takes over where present.
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", () => {
      if (window.htmx && form.hasAttribute("hx-get")) {
        window.htmx.trigger(form, "submit");
      } else {
        form.requestSubmit();
      }
    });
  });
});
