// The views the playground and the embed page both show, built on the page's elements and tied
// together by a session (session.js): editor, graph view with its toolbar, legend and overlays,
// inspector, stepper and output. Each page adds its own controls (main.js, embed-page.js).

import { $, on } from "./dom.js";
import { createEditor } from "./editor.js";
import { createGraphView } from "./graph-view.js";
import { bindGraphToolbar } from "./graph-toolbar.js";
import { createInspector } from "./inspector.js";
import { revealInspectorOnSelect } from "./inspector-reveal.js";
import { createStepper } from "./stepper.js";
import { createStepOverlay } from "./step-overlay.js";
import { createOutput } from "./output.js";
import { createSession } from "./session.js";
import { renderLegend } from "./legend.js";
import { onLanguageChange, t, translatePage } from "./i18n.js";

/**
 * Translate the page, then build and wire the shared views. Options: readOnly (editor), wheel
 * (graph view: "always" or "ctrl"), hideEmptyInspector, hideEmptyStdout, onMode (after the
 * view switch has redrawn the graph and the legend).
 */
export function createViews({ readOnly = false, wheel = "always", hideEmptyInspector = false, hideEmptyStdout = false, onMode } = {}) {
  translatePage();
  const legend = $("#legend-list");
  const editor = createEditor($("#editor"), { readOnly, label: t("panel.program") });
  const graphView = createGraphView($("#graph-viewport"), { wheel, overlays: [createStepOverlay()] });
  bindGraphToolbar($(".graph-toolbar"), graphView, {
    onMode: (mode) => {
      renderLegend(legend, mode);
      onMode?.(mode);
    },
  });
  const inspector = createInspector($("#inspector"), { hideWhenEmpty: hideEmptyInspector });
  const stepper = createStepper($("#stepper"));
  const output = createOutput({ status: $("#status"), error: $("#error"), stdout: $("#stdout"), notes: $("#notes") }, { hideEmptyStdout });
  const session = createSession({ editor, graphView, inspector, stepper, output, message: $("#graph-message") });
  revealInspectorOnSelect(graphView, $("#inspector"));
  renderLegend(legend, graphView.mode);
  onLanguageChange(() => {
    renderLegend(legend, graphView.mode);
    stepper.relabel();
    output.relabel();
    session.relabel();
    graphView.relabel();
  });
  return { editor, graphView, inspector, stepper, output, session };
}

/** The Run button; with `shortcut`, Ctrl/Cmd+Enter anywhere on the page runs too (shown on the button). */
export function bindRun(button, session, { shortcut = false } = {}) {
  on(button, "click", () => session.run());
  if (!shortcut) return;
  const kbd = $(".kbd", button);
  if (kbd && /Mac|iPhone|iPad/.test(navigator.platform)) kbd.textContent = "⌘ ↵";
  on(document, "keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && !event.defaultPrevented) {
      event.preventDefault();
      session.run();
    }
  });
}
