/* Renders the course's Altair charts from local copies of Vega, Vega-Lite and Vega-Embed.
 * Each chart is a <div class="course-chart"> holding its Vega-Lite spec as inert JSON, so pages with
 * several charts never collide and nothing depends on a CDN.
 *
 * Every chart ends with data-rendered="true" (drawn) or "error" (a message is shown), so readers and
 * tests never wait on a chart that silently failed. When all charts have settled the page gets
 * <html data-course-charts="settled"> and a performance mark "course-charts-settled". */
(function () {
  "use strict";
  var base = document.currentScript.src.replace(/[^/]*$/, "");
  var libraries = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(script);
    });
  }

  async function loadLibraries() {
    if (window.vegaEmbed) return;
    // The UMD builds register as AMD modules when require.js is on the page, and then
    // never become globals; hide `define` while they load.
    var amdDefine = window.define;
    window.define = undefined;
    try {
      for (var i = 0; i < libraries.length; i++) await loadScript(base + libraries[i]);
    } finally {
      window.define = amdDefine;
    }
  }

  function showError(container, error) {
    var message = document.createElement("p");
    message.className = "course-chart-error";
    message.setAttribute("role", "alert");
    message.textContent = "This chart could not be drawn: " + error.message;
    container.appendChild(message);
    container.setAttribute("data-rendered", "error");
    console.error(error);
  }

  // Vega's SVG already carries ARIA roles and a label per mark (from the spec description and
  // encodings). What it lacks: a name for the export menu and for bound inputs.
  function makeAccessible(container) {
    var label = container.getAttribute("aria-label") || "Chart";
    var summary = container.querySelector("details summary");
    if (summary) {
      summary.setAttribute("aria-label", "Save this chart as an image (Сохранить график)");
      summary.setAttribute("title", "Save this chart as an image");
    }
    container.querySelectorAll(".vega-bind input, .vega-bind select").forEach(function (input) {
      var name = input.closest(".vega-bind").querySelector(".vega-bind-name");
      if (name && !input.getAttribute("aria-label")) {
        input.setAttribute("aria-label", name.textContent.trim() + " (" + label + ")");
      }
    });
  }

  // A chart wider than its column (phones) scrolls inside its box; a scrollable box must be
  // reachable from the keyboard (WCAG 2.1.1), and its figure label is then read on focus.
  function updateScrollFocus(container) {
    if (container.scrollWidth > container.clientWidth + 1) {
      container.setAttribute("tabindex", "0");
    } else {
      container.removeAttribute("tabindex");
    }
  }

  function renderOne(container) {
    var specNode = container.querySelector('script[type="application/json"]');
    var target = container.querySelector(".course-chart-canvas");
    if (!specNode || !target) {
      showError(container, new Error("chart markup is incomplete"));
      return Promise.resolve();
    }
    var spec;
    try {
      spec = JSON.parse(specNode.textContent);
    } catch (error) {
      showError(container, error);
      return Promise.resolve();
    }
    return window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
    }).then(function () {
      makeAccessible(container);
      updateScrollFocus(container);
      container.setAttribute("data-rendered", "true");
    }).catch(function (error) { showError(container, error); });
  }

  function settled() {
    document.documentElement.setAttribute("data-course-charts", "settled");
    if (window.performance && performance.mark) performance.mark("course-charts-settled");
  }

  async function renderAll() {
    var containers = Array.prototype.slice.call(document.querySelectorAll("div.course-chart"));
    if (!containers.length) return settled();
    try {
      await loadLibraries();
    } catch (error) {
      containers.forEach(function (c) { showError(c, error); });
      return settled();
    }
    await Promise.all(containers.map(renderOne));
    window.addEventListener("resize", function () { containers.forEach(updateScrollFocus); });
    settled();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
