/* Renders the course's Altair charts from local copies of Vega and Vega-Embed.
 * Each chart is a <div class="course-chart"> holding its spec as inert JSON, so pages with several
 * charts never collide and nothing depends on a CDN. The build compiles each Vega-Lite spec to Vega
 * (_ext/course_lean.py), so the 250 kB Vega-Lite compiler is not needed in the browser.
 *
 * Every chart ends with data-rendered="true" (drawn) or "error" (a message is shown), so readers and
 * tests never wait on a chart that silently failed. When all charts have settled the page gets
 * <html data-course-charts="settled"> and a performance mark "course-charts-settled". */
(function () {
  "use strict";
  var base = document.currentScript.src.replace(/[^/]*$/, "");
  var libraries = ["vega.min.js", "vega-embed.min.js"];
  // The page's edition (<html lang>, set by Sphinx's `language`): chart text comes translated in
  // the spec itself; numbers in tooltips and axes follow the language's conventions here.
  var language = (document.documentElement.lang || "en").slice(0, 2);
  var TEXT = {
    en: { save: "Save this chart as an image", failed: "This chart could not be drawn: ", chart: "Chart" },
    ru: { save: "Сохранить график как изображение", failed: "Не удалось построить график: ", chart: "График" },
  }[language === "ru" ? "ru" : "en"];
  // Russian: decimal comma, non-breaking space between thousands, minus sign; Russian dates.
  var LOCALES = {
    ru: {
      formatLocale: { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0₽"],
        minus: "\u2212" },
      timeFormatLocale: {
        dateTime: "%A, %e %B %Y г. %X", date: "%d.%m.%Y", time: "%H:%M:%S",
        periods: ["AM", "PM"],
        days: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
        shortDays: ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
        months: ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь"],
        shortMonths: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
      },
    },
  };

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
    message.textContent = TEXT.failed + error.message;
    container.appendChild(message);
    container.setAttribute("data-rendered", "error");
    console.error(error);
  }

  // Vega's SVG already carries ARIA roles and a label per mark (from the spec description and
  // encodings). What it lacks: a name for the export menu and for bound inputs.
  function makeAccessible(container) {
    var label = container.getAttribute("aria-label") || TEXT.chart;
    var summary = container.querySelector("details summary");
    if (summary) {
      summary.setAttribute("aria-label", TEXT.save);
      summary.setAttribute("title", TEXT.save);
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
    var options = {
      mode: "vega",
      hover: false, // as Vega-Lite specs were embedded: hover effects are the spec's own signals
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
    };
    if (LOCALES[language]) {
      options.formatLocale = LOCALES[language].formatLocale;
      options.timeFormatLocale = LOCALES[language].timeFormatLocale;
      options.i18n = { SVG_ACTION: "Сохранить как SVG", PNG_ACTION: "Сохранить как PNG",
        CLICK_TO_VIEW_ACTIONS: "Меню графика" };
    }
    return window.vegaEmbed(target, spec, options).then(function () {
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
