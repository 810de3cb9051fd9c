// Draws the charts on a page with the Vega libraries the site serves itself, and makes each one
// usable by everyone: drawn when it comes near the viewport; a spoken, one-sentence result when a
// control changes; a "Chart in words" that follows the current settings; the exact values in a
// table; tooltips that close on Escape; a chart that scrolls inside its own named box when narrow.
//
// Generic: any page with <script type="application/json" class="citybook-chart-spec"
// data-target="ID"> (a Vega spec) and <div id="ID" class="citybook-chart__view"> can use it. Optional
// siblings inside the chart's <figure>: .citybook-chart__status (live region), .citybook-chart__state
// (inside "Chart in words"), details.citybook-chart__data[data-tables] (the data table).
// If vegaEmbed is not on the page, the script loads the libraries its own data-libraries attribute
// lists (paths relative to this script), once, when the first chart is needed.
// A spec element may be empty with a data-src: a script (relative to the page) that hands the spec to
// citybookCharts.receive(id, spec) when the chart is needed, so the page itself stays small. Once
// received, the spec is also written into the element, as an inline one would be.
(function () {
  "use strict";
  var EMBED_OPTIONS = {
    mode: "vega", // specs are compiled from Vega-Lite when the book is built
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
  };
  var NEAR_VIEWPORT = "300px 0px"; // start drawing a little before a chart scrolls into view
  var MAX_TABLE_ROWS = 2000;
  var ANNOUNCE_DELAY_MS = 400; // wait for a slider to settle before speaking
  var script = document.currentScript;
  // The page's language: its sentences (data-strings, from the book's catalogues) and how it writes
  // numbers and dates (data-locale: d3 format and time-format locales built from CLDR with Babel).
  var STRINGS = JSON.parse((script && script.dataset.strings) || "{}");
  var LOCALE = JSON.parse((script && script.dataset.locale) || "{}");
  function say(key, fallback, values) {
    var text = STRINGS[key] || fallback;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(values[name]);
    });
    return text;
  }
  var librariesLoading = null;
  var drawn = new Map(); // target id -> promise of the drawn view
  var waiting = {}; // target id -> resolve function of a spec being loaded

  // ---- Loading the libraries, once, when the first chart needs them --------------------------
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  function libraries() {
    if (window.vegaEmbed) {
      return Promise.resolve();
    }
    if (!librariesLoading) {
      var list = ((script && script.dataset.libraries) || "").split(/\s+/).filter(Boolean);
      var base = script ? script.src : document.baseURI;
      librariesLoading = list.reduce(function (chain, path) {
        return chain.then(function () {
          return loadScript(new URL(path, base).href);
        });
      }, Promise.resolve());
    }
    return librariesLoading;
  }

  // ---- A chart's spec: inline, or loaded from its own file when the chart is needed ------------
  function specFor(specNode) {
    var id = specNode.dataset.target;
    if (!specNode.dataset.src || specNode.textContent.trim()) {
      return Promise.resolve(JSON.parse(specNode.textContent));
    }
    var received = new Promise(function (resolve) {
      waiting[id] = resolve;
    });
    return loadScript(new URL(specNode.dataset.src, document.baseURI).href).then(function () {
      return received;
    });
  }

  function receive(id, spec) {
    var node = document.querySelector('script.citybook-chart-spec[data-target="' + id + '"]');
    if (node && !node.textContent.trim()) {
      node.textContent = JSON.stringify(spec);
    }
    if (waiting[id]) {
      waiting[id](spec);
      delete waiting[id];
    }
  }

  // ---- Reading a drawn chart ------------------------------------------------------------------
  function boundSignals(spec) {
    return (spec.signals || []).filter(function (s) {
      return s.bind && s.bind.input;
    });
  }

  function bindingLabel(signal) {
    return String(signal.bind.name || signal.name).replace(/[\s:]+$/, "");
  }

  function valueLabel(signal, value) {
    var options = signal.bind.options || [];
    var labels = signal.bind.labels || [];
    for (var i = 0; i < options.length; i++) {
      if (options[i] === value && labels[i] !== undefined) {
        return String(labels[i]);
      }
    }
    if (value === null || value === undefined) {
      return "none";
    }
    return typeof value === "number" ? formatNumber(value) : String(value);
  }

  function formatNumber(value) {
    return new Intl.NumberFormat(LOCALE.number || document.documentElement.lang || undefined, {
      maximumFractionDigits: 3,
    }).format(value);
  }

  // The words a chart shows: its titles first, then its text marks (not axis or legend labels).
  function chartTexts(view) {
    var titles = [];
    var marks = [];
    (function walk(node, role) {
      if (!node) {
        return;
      }
      if (node.marktype !== undefined) {
        (node.items || []).forEach(function (item) {
          if (node.marktype === "text" && item.text !== undefined && item.text !== null && item.opacity !== 0) {
            var text = Array.isArray(item.text) ? item.text.join(" ") : String(item.text);
            if (text.trim()) {
              if (node.role === "title-text" || node.role === "title-subtitle") {
                titles.push(text.trim());
              } else if (node.role === "mark") {
                marks.push(text.trim());
              }
            }
          }
          walk(item, node.role);
        });
      } else if (node.items) {
        node.items.forEach(function (child) {
          walk(child, role);
        });
      }
    })(view.scenegraph().root, "");
    return titles.concat(marks);
  }

  function settingsSentence(spec, view) {
    return boundSignals(spec)
      .map(function (s) {
        return bindingLabel(s) + ": " + valueLabel(s, view.signal(s.name));
      })
      .join("; ");
  }

  // ---- Live region and "Chart in words" that follow the chart ---------------------------------
  function followChanges(figure, spec, view) {
    var status = figure.querySelector(".citybook-chart__status");
    var state = figure.querySelector(".citybook-chart__state");
    var signals = boundSignals(spec);
    if (!signals.length || !status) {
      return;
    }
    var before = chartTexts(view);
    var changed = {};
    var timer = null;
    var startingState = state ? state.textContent : "";
    function announce() {
      var now = chartTexts(view);
      var fresh = now.filter(function (text, i) {
        return before.indexOf(text) < 0 && now.indexOf(text) === i;
      });
      before = now;
      var parts = signals
        .filter(function (s) {
          return s.name in changed;
        })
        .map(function (s) {
          return say("set_to", "{control} set to {value}", {
            control: bindingLabel(s),
            value: valueLabel(s, view.signal(s.name)),
          });
        });
      changed = {};
      var sentence = parts.join("; ") + ".";
      if (fresh.length) {
        sentence +=
          " " + say("now", "Now:") + " " + fresh.slice(0, 3).join("; ") + (fresh.length > 3 ? "; " + say("and_more", "and more.") : ".");
      } else {
        sentence += " " + say("new_setting", "The chart shows the new setting.");
      }
      status.textContent = sentence;
      if (state) {
        state.textContent =
          startingState.replace(/;.*$/, ".") +
          " " +
          say("current_settings", "Current settings:") +
          " " +
          settingsSentence(spec, view) +
          ". " +
          (fresh.length ? say("now_shows", "The chart now shows:") + " " + now.slice(0, 4).join("; ") + "." : "");
      }
    }
    signals.forEach(function (s) {
      view.addSignalListener(s.name, function () {
        changed[s.name] = true;
        clearTimeout(timer);
        timer = setTimeout(function () {
          view.runAsync().then(announce);
        }, ANNOUNCE_DELAY_MS);
      });
    });
  }

  // ---- The exact values, in a table built when the reader opens it ----------------------------
  function cellText(value, type) {
    if (value === null || value === undefined) {
      return "";
    }
    if (type === "temporal" && typeof value === "number") {
      return new Date(value).toISOString().slice(0, 10);
    }
    return typeof value === "number" ? formatNumber(value) : String(value);
  }

  function buildTables(details, spec) {
    if (details.dataset.built) {
      return;
    }
    details.dataset.built = "true";
    var wanted = JSON.parse(details.dataset.tables || "{}");
    (spec.data || []).forEach(function (data) {
      var columns = wanted[data.name];
      if (!columns || !Array.isArray(data.values) || !data.values.length) {
        return;
      }
      var rows = data.values.slice(0, MAX_TABLE_ROWS);
      var box = document.createElement("div");
      box.className = "citybook-chart__table";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      var table = document.createElement("table");
      var caption = table.createCaption();
      caption.textContent =
        data.values.length > rows.length
          ? say("first_rows", "First {shown} of {rows} rows", { shown: rows.length, rows: data.values.length })
          : data.values.length === 1
            ? say("one_row", "1 row")
            : say("rows", "{rows} rows", { rows: data.values.length });
      box.setAttribute("aria-label", say("data_table", "Data table, {caption}", { caption: caption.textContent }));
      var head = table.createTHead().insertRow();
      columns.forEach(function (column) {
        var th = document.createElement("th");
        th.scope = "col";
        th.textContent = column[1];
        head.appendChild(th);
      });
      var body = table.createTBody();
      rows.forEach(function (row) {
        var tr = body.insertRow();
        columns.forEach(function (column) {
          var cell = tr.insertCell();
          cell.textContent = cellText(row[column[0]], column[2]);
          if (typeof row[column[0]] === "number") {
            cell.className = "citybook-chart__number";
          }
        });
      });
      box.appendChild(table);
      details.appendChild(box);
    });
  }

  // ---- Narrow screens: the chart keeps its size and scrolls inside its own named box ----------
  function scrollBox(target, figure) {
    var svg = target.querySelector("svg.marks, canvas.marks");
    if (!svg) {
      return;
    }
    var box = document.createElement("div");
    box.className = "citybook-chart__scroll";
    svg.parentNode.insertBefore(box, svg);
    box.appendChild(svg);
    function update() {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var name = figure && figure.querySelector("[id$='-name']");
        box.setAttribute("aria-label", say("scrolls", "{chart} (scrolls sideways)", { chart: name ? name.textContent : say("chart", "Chart") }));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
    update();
    if (window.ResizeObserver) {
      new ResizeObserver(update).observe(box);
    }
  }

  // ---- Drawing one chart ------------------------------------------------------------------------
  function drawChart(specNode) {
    var target = document.getElementById(specNode.dataset.target);
    if (!target) {
      return Promise.resolve(null);
    }
    if (drawn.has(target.id)) {
      return drawn.get(target.id);
    }
    var spec = null;
    var figure = target.closest("figure");
    var promise = Promise.all([specFor(specNode), libraries()])
      .then(function (loaded) {
        spec = loaded[0];
        var options = Object.assign({}, EMBED_OPTIONS);
        if (LOCALE.format) {
          options.formatLocale = LOCALE.format;
          options.timeFormatLocale = LOCALE.time;
          options.i18n = LOCALE.actions;
        }
        return vegaEmbed(target, spec, options);
      })
      .then(function (result) {
        var svg = target.querySelector("svg.marks");
        if (svg) {
          // The figure carries the chart's one name and short description; the drawing itself is
          // not read out mark by mark (the words and the data table say what it shows).
          svg.setAttribute("aria-hidden", "true");
          [svg, svg.parentNode].forEach(function (node) {
            ["aria-label", "role", "aria-roledescription"].forEach(function (name) {
              node.removeAttribute(name);
            });
          });
          // The drawn width, for the narrow-screen minimum size (see citybook.css).
          target.style.setProperty("--chart-width", svg.getAttribute("width") + "px");
        }
        // vega-embed's menu button is an icon with no text: give it an accessible name.
        var menu = target.querySelector("details > summary");
        if (menu) {
          menu.setAttribute("aria-label", say("menu", "Chart menu: save the chart as an image"));
        }
        scrollBox(target, figure);
        if (figure) {
          followChanges(figure, spec, result.view);
          var details = figure.querySelector("details.citybook-chart__data");
          if (details) {
            details.addEventListener("toggle", function () {
              buildTables(details, spec);
            });
            if (details.open) {
              buildTables(details, spec);
            }
          }
        }
        target.dataset.drawn = "true";
        return result.view;
      })
      .catch(function (error) {
        target.dataset.drawn = "failed";
        target.textContent = say("failed", "This chart could not be drawn. Its description follows below.");
        console.error("Chart " + target.id + " failed:", error);
        return null;
      });
    drawn.set(target.id, promise);
    return promise;
  }

  function specNodes() {
    return Array.prototype.slice.call(document.querySelectorAll("script.citybook-chart-spec"));
  }

  // Draw every chart now (printing, tests); resolves to the number of charts once all are drawn.
  function drawAll() {
    return Promise.all(specNodes().map(drawChart)).then(function (views) {
      return views.length;
    });
  }

  function start() {
    var nodes = specNodes();
    if (!nodes.length) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      drawAll();
      return;
    }
    var byTarget = {};
    nodes.forEach(function (node) {
      byTarget[node.dataset.target] = node;
    });
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            drawChart(byTarget[entry.target.id]);
          }
        });
      },
      { rootMargin: NEAR_VIEWPORT }
    );
    nodes.forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (target) {
        observer.observe(target);
      }
    });
    window.addEventListener("beforeprint", drawAll);
  }

  // Tooltips close on Escape (WCAG 1.4.13) without moving the pointer.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var tooltip = document.getElementById("vg-tooltip-element");
      if (tooltip) {
        tooltip.classList.remove("visible");
      }
    }
  });

  window.citybookCharts = { drawAll: drawAll, draw: drawChart, receive: receive };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
