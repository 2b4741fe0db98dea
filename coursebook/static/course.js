/* Loaded on every page of the course site. Makes the visible sidebar buttons work.
 *
 * sphinx-book-theme 1.3 shows its own "Toggle primary/secondary sidebar" buttons in the article
 * header, while pydata-sphinx-theme 0.17 adds hidden buttons with the same classes to the top navbar
 * and binds its handlers with document.querySelector, i.e. to the hidden ones only. On phones the
 * visible hamburger then does nothing and the navigation cannot be opened (pydata-sphinx-theme
 * issue 2451). Forward clicks on every other toggle to the bound one. */
(function () {
  "use strict";

  function forwardClicks(selector) {
    var buttons = document.querySelectorAll(selector);
    if (buttons.length < 2) return;
    var bound = buttons[0];
    for (var i = 1; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }

  /* The search index is left out of the pages (course_assets._defer_search_index): fetch it the
   * first time the reader reaches for search (button, Ctrl/Cmd+K, the box itself). A script tag
   * works from file:// too. */
  var indexRequested = false;
  function loadSearchIndex() {
    if (indexRequested || window.location.pathname.endsWith("/search.html")) return;
    indexRequested = true;
    var script = document.createElement("script");
    script.src = (document.documentElement.dataset.content_root || "") + "searchindex.js";
    document.head.appendChild(script);
  }

  function init() {
    forwardClicks(".primary-toggle");
    forwardClicks(".secondary-toggle");
    document.querySelectorAll(".search-button__button, form.bd-search input").forEach(function (el) {
      el.addEventListener("pointerdown", loadSearchIndex);
      el.addEventListener("focus", loadSearchIndex);
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && /^k$/i.test(event.key)) loadSearchIndex();
    }, true);
    document.addEventListener("focusin", function (event) {
      if (event.target.closest && event.target.closest("form.bd-search")) loadSearchIndex();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
