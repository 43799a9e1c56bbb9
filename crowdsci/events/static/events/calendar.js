// The month grid: arrow keys move between days (a roving tabindex), Home/End to the week's ends; Tab goes on
// through the focused day's event links. Without JavaScript every event link is still reachable with Tab.
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector("[data-calendar-grid]");
  if (!grid) {
    return;
  }
  const cells = Array.from(grid.querySelectorAll("td[data-day]"));
  const rtl = document.documentElement.dir === "rtl";
  let current = cells.find((cell) => cell.classList.contains("has-events") && !cell.classList.contains("other-month"))
    || cells.find((cell) => !cell.classList.contains("other-month")) || cells[0];
  cells.forEach((cell) => cell.setAttribute("tabindex", cell === current ? "0" : "-1"));

  function focusCell(index) {
    if (index < 0 || index >= cells.length) {
      return;
    }
    current.setAttribute("tabindex", "-1");
    current = cells[index];
    current.setAttribute("tabindex", "0");
    current.focus();
  }

  grid.addEventListener("keydown", (event) => {
    const cell = event.target.closest("td[data-day]");
    if (!cell || event.target !== cell) {
      return;
    }
    const index = cells.indexOf(cell);
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const back = rtl ? "ArrowRight" : "ArrowLeft";
    const moves = { [forward]: 1, [back]: -1, ArrowDown: 7, ArrowUp: -7, Home: -(index % 7), End: 6 - (index % 7) };
    if (event.key in moves) {
      event.preventDefault();
      focusCell(index + moves[event.key]);
    }
  });
  grid.addEventListener("focusin", (event) => {
    const cell = event.target.closest("td[data-day]");
    if (cell && cell !== current) {
      current.setAttribute("tabindex", "-1");
      current = cell;
      current.setAttribute("tabindex", "0");
    }
  });
});
