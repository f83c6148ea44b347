/* The site's own script (under 1 KB): opening and closing the search panel.
 *
 * With assets/search.js (the search itself, index loaded on first use) it replaces
 * Material's 35 KB bundle and 12 KB search worker, so a first visit on a slow phone costs
 * half as much. Everything else (menus, drawer, banner) is HTML and CSS and works without
 * JavaScript.
 */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");
  var toggle = document.getElementById("__search");
  var input = document.querySelector(".md-search__input");
  if (!toggle || !input) return;
  toggle.addEventListener("change", function () {
    if (toggle.checked) { input.focus(); setTimeout(function () { input.focus(); }, 50); }
  });
  input.addEventListener("focus", function () { toggle.checked = true; });
  /* Keyboard users tab through search on their way to the page: close it when focus leaves,
     or the full-screen results panel of small screens would cover what they tab to next. */
  var panel = document.querySelector(".md-search");
  if (panel) {
    panel.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !panel.contains(event.relatedTarget)) toggle.checked = false;
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) { toggle.checked = false; input.blur(); }
  });
})();
