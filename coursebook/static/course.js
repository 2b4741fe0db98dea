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

  function init() {
    forwardClicks(".primary-toggle");
    forwardClicks(".secondary-toggle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
