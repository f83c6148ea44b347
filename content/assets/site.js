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

/* Keyboard: the theme opens its menu and search with labels for hidden checkboxes, which a
 * mouse can click but a keyboard cannot reach. Here they become buttons (Enter or Space
 * opens, Escape closes and gives focus back), focus moves into what opened, and the
 * language list closes on Escape. Without this script the labels stay as they are. */
(function () {
  "use strict";
  function visible(el) {
    return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  function asButton(label, toggle, name) {
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    if (name) label.setAttribute("aria-label", name);
    function sync() { label.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    sync();
    toggle.addEventListener("change", sync);
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change"));
    });
  }

  var drawer = document.getElementById("__drawer");
  var drawerButton = document.querySelector(".md-header label[for='__drawer']");
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (drawer && drawerButton && sidebar) {
    var navName = sidebar.querySelector("nav[aria-label]");
    asButton(drawerButton, drawer, navName && navName.getAttribute("aria-label"));
    drawer.addEventListener("change", function () {
      if (!drawer.checked) return;
      var first = sidebar.querySelector(".md-nav__list a[href], .md-nav__list label[tabindex]");
      if (first) first.focus();
    });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        drawer.checked = false;
        drawer.dispatchEvent(new Event("change"));
        drawerButton.focus();
      }
    });
    /* Tabbing out of the open drawer closes it, so focus never goes on under the overlay. */
    sidebar.addEventListener("focusout", function (event) {
      if (drawer.checked && event.relatedTarget && !sidebar.contains(event.relatedTarget)) {
        drawer.checked = false;
        drawer.dispatchEvent(new Event("change"));
      }
    });
  }

  /* Sections of the drawer open with their own labels; make those keyboard buttons too. */
  document.querySelectorAll(".md-sidebar--primary label.md-nav__link[for]").forEach(function (label) {
    var toggle = document.getElementById(label.getAttribute("for"));
    if (toggle && toggle.type === "checkbox" && label.getAttribute("tabindex") === null) asButton(label, toggle, null);
    else if (toggle && toggle.type === "checkbox") {
      label.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        toggle.checked = !toggle.checked;
      });
    }
  });

  var search = document.getElementById("__search");
  var searchButton = document.querySelector(".md-header label[for='__search']");
  var dialog = document.querySelector(".md-search");
  if (search && searchButton) {
    asButton(searchButton, search, dialog && dialog.getAttribute("aria-label"));
    /* Escape (handled by search above) closes search; give focus back to the button if it shows. */
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && search.checked && dialog && dialog.contains(document.activeElement)) {
        setTimeout(function () { if (visible(searchButton)) searchButton.focus(); }, 0);
      }
    }, true);
  }

  /* The language list opens while focus is in it (CSS); Escape closes it on its button. */
  document.querySelectorAll(".md-select").forEach(function (select) {
    var button = select.querySelector("button");
    if (!button) return;
    function state(open) {
      select.classList.toggle("site-select--closed", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("focus", function () { state(true); });
    button.addEventListener("click", function () { state(select.classList.contains("site-select--closed")); });
    select.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { button.focus(); state(false); }
    });
    select.addEventListener("focusout", function (event) {
      if (event.relatedTarget && select.contains(event.relatedTarget)) return;
      select.classList.remove("site-select--closed");
      button.setAttribute("aria-expanded", "false");
    });
  });
})();
