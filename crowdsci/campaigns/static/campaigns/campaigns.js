// Campaign pages: progressive enhancements only. Every page works without JavaScript.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";

  // Times are rendered on the server in the network's zone (Eastern); show them in the reader's own zone.
  function localizeTimes(root) {
    root.querySelectorAll("time[data-local]").forEach((element) => {
      const moment = new Date(element.getAttribute("datetime"));
      if (Number.isNaN(moment.getTime())) return;
      const options = element.dataset.local === "time"
        ? { timeStyle: "short" }
        : { dateStyle: "medium", timeStyle: "short" };
      try {
        element.textContent = new Intl.DateTimeFormat(lang, { ...options, timeZoneName: "short" }).format(moment);
      } catch (error) {
        element.textContent = new Intl.DateTimeFormat(lang, options).format(moment);
      }
    });
  }

  // The hashtag's copy button (hidden without JavaScript: the hashtag can be selected by hand).
  function setUpCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach((button) => {
      const source = document.querySelector(button.dataset.copy);
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      const label = button.textContent;
      button.addEventListener("click", () => {
        navigator.clipboard.writeText(source.textContent.trim()).then(() => {
          button.textContent = button.dataset.copied || label;
          setTimeout(() => { button.textContent = label; }, 2000);
        });
      });
    });
  }

  // Charts drawn from the accessible tables beside them (one source of numbers).
  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    const style = getComputedStyle(document.documentElement);
    const brand = style.getPropertyValue("--brand").trim() || "#20558a";
    const accent = style.getPropertyValue("--accent").trim() || "#8a3b12";
    root.querySelectorAll("canvas.series-chart").forEach((canvas) => {
      const table = document.querySelector(canvas.dataset.table);
      if (!table || canvas.dataset.drawn) return;
      const rows = Array.from(table.tBodies[0].rows);
      const labels = rows.map((row) => row.cells[0].textContent.trim());
      const column = (index) => rows.map((row) => Number(row.cells[index].textContent.replace(/[^0-9-]/g, "")) || 0);
      const heads = table.tHead.rows[0].cells;
      canvas.dataset.drawn = "1";
      new Chart(canvas, {
        type: "bar",
        data: {
          labels,
          datasets: [
            { label: heads[1].textContent.trim(), data: column(1), backgroundColor: brand },
            { label: heads[3].textContent.trim(), data: column(3), backgroundColor: accent },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: lang,
          scales: { x: { reverse: document.documentElement.dir === "rtl" }, y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
  }

  function enhance(root) {
    localizeTimes(root);
    setUpCopyButtons(root);
    drawCharts(root);
  }

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  // htmx swaps the live block in every few seconds.
  document.addEventListener("htmx:afterSwap", (event) => localizeTimes(event.target));
})();
