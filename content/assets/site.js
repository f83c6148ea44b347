/* The site's own script: opening and closing the search panel, and keyboard access to the
 * theme's menu, search and language list (below). Practice pages add guided.js.
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

/* Keyboard: the theme opens its menu, search and menu sections with labels for hidden
 * checkboxes, which a mouse can click but a keyboard cannot reach. Here each label gets a
 * real button inside it (Enter or Space toggles, aria-expanded tells the state), focus moves
 * into what opened, and Escape closes it and gives focus back. Without this script the
 * labels work as before for a mouse or a finger. */
(function () {
  "use strict";
  function visible(el) {
    return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }
  function flip(toggle, checked) {
    toggle.checked = checked;
    toggle.dispatchEvent(new Event("change"));
  }

  /* The label keeps its place and look (the theme styles it); the button inside takes focus. */
  function buttonIn(label, name) {
    var toggle = document.getElementById(label.getAttribute("for"));
    if (!toggle || toggle.type !== "checkbox") return null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "site-toggle";
    while (label.firstChild) button.appendChild(label.firstChild);
    label.appendChild(button);
    label.removeAttribute("tabindex");
    if (name) button.setAttribute("aria-label", name);
    function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    sync();
    toggle.addEventListener("change", sync);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      flip(toggle, !toggle.checked);
    });
    return button;
  }

  var drawer = document.getElementById("__drawer");
  var drawerLabel = document.querySelector(".md-header label[for='__drawer']");
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (drawer && drawerLabel && sidebar) {
    var navName = sidebar.querySelector("nav[aria-label]");
    var drawerButton = buttonIn(drawerLabel, navName && navName.getAttribute("aria-label"));
    drawer.addEventListener("change", function () {
      if (!drawer.checked) return;
      setTimeout(function () {
        var first = Array.prototype.find.call(sidebar.querySelectorAll("a[href], button"), visible);
        if (first) first.focus();
      }, 0);
    });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        flip(drawer, false);
        drawerButton.focus();
      }
    });
    /* Tabbing out of the open drawer closes it, so focus never goes on under the overlay. */
    sidebar.addEventListener("focusout", function (event) {
      if (drawer.checked && event.relatedTarget && !sidebar.contains(event.relatedTarget)) flip(drawer, false);
    });
  }

  /* Menu sections (and the page's contents on small screens) open and close with labels too. */
  document.querySelectorAll(".md-sidebar--primary label.md-nav__link[for], .md-sidebar--primary label.md-nav__title[for]").forEach(function (label) {
    if (label.getAttribute("for") === "__drawer") return;
    var toggle = document.getElementById(label.getAttribute("for"));
    var button = buttonIn(label, null);
    if (!button || !toggle) return;
    toggle.addEventListener("change", function () {
      if (label.classList.contains("md-nav__title") && !toggle.checked) {
        var opener = document.querySelector("label.md-nav__link[for='" + toggle.id + "'] .site-toggle");
        if (opener) setTimeout(function () { if (visible(opener)) opener.focus(); }, 0);
      } else if (!label.classList.contains("md-nav__title") && toggle.checked) {
        var back = document.querySelector("label.md-nav__title[for='" + toggle.id + "'] .site-toggle");
        if (back) setTimeout(function () { if (visible(back)) back.focus(); }, 300);
      }
    });
  });

  var search = document.getElementById("__search");
  var searchLabel = document.querySelector(".md-header label[for='__search']");
  var dialog = document.querySelector(".md-search");
  if (search && searchLabel) {
    var searchButton = buttonIn(searchLabel, dialog && dialog.getAttribute("aria-label"));
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
