/* Renders the course's Altair charts from local copies of Vega, Vega-Lite and Vega-Embed.
 * Each chart is a <div class="course-chart"> holding its Vega-Lite spec as inert JSON, so pages with
 * several charts never collide and nothing depends on a CDN. */
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
    message.textContent = "This chart could not be drawn: " + error.message;
    container.appendChild(message);
    console.error(error);
  }

  async function renderAll() {
    var containers = document.querySelectorAll("div.course-chart");
    if (!containers.length) return;
    try {
      await loadLibraries();
    } catch (error) {
      containers.forEach(function (c) { showError(c, error); });
      return;
    }
    containers.forEach(function (container) {
      var specNode = container.querySelector('script[type="application/json"]');
      var target = container.querySelector(".course-chart-canvas");
      if (!specNode || !target) return;
      var spec = JSON.parse(specNode.textContent);
      window.vegaEmbed(target, spec, {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
      }).then(function () {
        container.setAttribute("data-rendered", "true");
      }).catch(function (error) { showError(container, error); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
