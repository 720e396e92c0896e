// The worklist's keyboard shortcuts (listed on the page under "Pintasan papan ketik"):
// j / k move to the next / previous file, Enter or o opens it, / jumps to the search (and
// Escape leaves it). Nothing fires while the user types in a field, or with Ctrl, Alt or Meta held. The rows
// are read afresh on every key, so the shortcuts keep working after htmx swaps the list.
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#worklist tbody tr"));
  }

  function typing(target) {
    return !!(target && target.closest &&
      target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function select(all, index) {
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("is-current", i === index);
      if (i === index) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    var link = all[index].querySelector("a");
    if (link) link.focus({ preventScroll: true });
    all[index].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" && event.target.matches && event.target.matches(".filters input")) {
      // Leave the search as it is: a search field's own Escape would empty it and reload
      // the whole list under the user's next key.
      event.preventDefault();
      event.target.blur();
      return;
    }
    if (typing(event.target)) return;
    var all = rows();
    var index = all.findIndex(function (row) { return row.classList.contains("is-current"); });
    var key = event.key;
    if (key === "/") {
      var search = document.querySelector(".filters input[name=q]");
      if (!search) return;
      search.focus();
      search.select();
    } else if (key === "j" && all.length) {
      select(all, index + 1);
    } else if (key === "k" && all.length) {
      select(all, index < 0 ? 0 : index - 1);
    } else if ((key === "Enter" || key === "o") && index >= 0) {
      // Enter on a focused link or button already does its own thing.
      if (key === "Enter" && event.target.closest("a, button, summary")) return;
      var link = all[index].querySelector("a");
      if (!link) return;
      link.click();
    } else {
      return;
    }
    event.preventDefault();
  });
})();
