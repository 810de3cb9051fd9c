/* Reading mode for lesson pages: "Leader" hides the code (cell sources and outputs that are only
   code results: tables, printed text) and keeps the prose, charts, In brief and Questions; "Analyst"
   shows everything. The choice is kept in localStorage, so it follows the reader from page to page.
   This file loads in the page head (not deferred): it sets the mode on <html> before the body is
   drawn, so code never flashes on screen, then wires the switch the build wrote into the page. */
(function () {
  "use strict";
  var KEY = "citybook-reading-mode";
  var MODES = ["leader", "analyst"];
  var DEFAULT_MODE = "leader";
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return MODES.indexOf(value) >= 0 ? value : DEFAULT_MODE;
    } catch (error) {
      return DEFAULT_MODE; // storage blocked (private mode, file://): fall back to the default
    }
  }

  function remember(mode) {
    try {
      window.localStorage.setItem(KEY, mode);
    } catch (error) {
      /* the mode still applies to this page */
    }
  }

  function apply(mode) {
    root.setAttribute("data-reading-mode", mode);
    var buttons = document.querySelectorAll(".reading-mode__button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-mode") === mode ? "true" : "false");
    }
  }

  apply(stored());

  function refreshTabStops() {
    // Code shown after the page loaded was hidden when the theme gave scrollable blocks a tab stop, so
    // give them one now (the theme's own rule): a keyboard user must be able to scroll a wide code cell.
    var blocks = document.querySelectorAll(
      ".cell pre, .cell .cell_output > .output, .cell .pst-scrollable-table-container"
    );
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      block.tabIndex = block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight ? 0 : -1;
    }
  }

  function markCodeOnlyOutputs() {
    // Outputs without a chart are code results; CSS hides them in Leader mode (this class backs up :has()).
    var outputs = document.querySelectorAll(".cell .cell_output");
    for (var i = 0; i < outputs.length; i++) {
      if (!outputs[i].querySelector(".citybook-chart")) {
        outputs[i].classList.add("reading-mode__code-output");
      }
    }
  }

  function wireSwitch() {
    // The switch is written into lesson pages at build time; pages without code cells have none.
    var group = document.querySelector(".reading-mode");
    if (!group) {
      return;
    }
    markCodeOnlyOutputs();
    var buttons = group.querySelectorAll(".reading-mode__button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var mode = event.currentTarget.getAttribute("data-mode");
        remember(mode);
        apply(mode);
        refreshTabStops();
      });
    }
    apply(root.getAttribute("data-reading-mode") || stored());
    window.addEventListener("load", refreshTabStops);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireSwitch);
  } else {
    wireSwitch();
  }
})();
