/* childprotect — the little JavaScript the pages need. Everything works without it; it only adds:
 * 1. CSRF for htmx: Django's CSRF cookie is HttpOnly, so the token is read from <meta name="csrf-token">
 *    (written by templates/base.html) and sent as X-CSRFToken on every non-GET htmx request.
 * 2. The header menu: a <details> that is collapsed on phones and always open on wider screens
 *    (CSS does the same with ::details-content where the browser supports it; this covers older ones).
 * 3. Sections that fold on a phone (<details data-open-when-wide>, the dashboard's): opened on wider screens
 *    when the page loads; the user may still fold them.
 * Served from static/ only: the Content Security Policy forbids inline scripts.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = String(event.detail.verb || "get").toLowerCase();
    if (verb !== "get") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  function setUpMenu() {
    var menu = document.getElementById("site-menu");
    if (!menu || !window.matchMedia) {
      return;
    }
    var wide = window.matchMedia("(min-width: 50em)");
    var sync = function () {
      menu.open = wide.matches;
    };
    sync();
    if (wide.addEventListener) {
      wide.addEventListener("change", sync);
    }
  }

  function openWhenWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 50em)").matches) {
      return;
    }
    var folds = document.querySelectorAll("details[data-open-when-wide]");
    for (var i = 0; i < folds.length; i++) {
      folds[i].open = true;
    }
  }

  function setUp() {
    setUpMenu();
    openWhenWide();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
