// The views the playground and the embed page both show, built on the page's elements and tied
// together by a session (session.js): editor, graph view with its toolbar, legend and overlays,
// inspector, stepper, output and exercise panel. Each page adds its own controls (main.js,
// embed-page.js).

import { $, el, on } from "./dom.js";
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
import { createExercise } from "./exercise.js";
import { createIterationFilter, createIterations } from "./iterations.js";
import { createNodeSearch, createSearchOverlay } from "./node-search.js";
import { createModuleFolding } from "./module-fold-control.js";
import { createMinimap } from "./minimap.js";
import { bindDetailLevel } from "./detail-level.js";
import { onLanguageChange, t, translatePage } from "./i18n.js";

/**
 * Translate the page, then build and wire the shared views. Options: readOnly (editor), wheel
 * (graph view: "always" or "ctrl"), hideEmptyInspector, hideEmptyStdout, onMode (after the
 * view switch has redrawn the graph and the legend), exerciseSwitch (show exercise mode's switch).
 */
export function createViews({ readOnly = false, wheel = "always", hideEmptyInspector = false, hideEmptyStdout = false, onMode, exerciseSwitch = false } = {}) {
  translatePage();
  const legend = $("#legend-list");
  const editor = createEditor($("#editor"), { readOnly, label: t("panel.program") });
  $("textarea", $("#editor"))?.setAttribute("data-i18n-aria", "panel.program"); // follows the language
  const iterationFilter = createIterationFilter();
  const folding = createModuleFolding();
  const graphView = createGraphView($("#graph-viewport"), { wheel, overlays: [iterationFilter, createStepOverlay(), createSearchOverlay()], fold: folding });
  iterationFilter.fit = (ids) => graphView.fitNodes(ids);
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
  const exercise = createExercise($("#exercise") ?? el("section", { id: "exercise" }), {
    stepper,
    caption: $('[data-testid="stepper-caption"]', $("#stepper")),
    stdout: $("#stdout"),
    switchable: exerciseSwitch,
    repaint: () => {
      stepper.relabel();
      session.relabel();
      graphView.relabel();
    },
  });
  // Before the pages' own "ran" handlers: the hidden gradients are hidden before anything else reads them.
  session.bind("ran", (graph) => exercise.load(graph));
  session.bind("refused", () => exercise.clear());
  const iterations = createIterations($("#iterations") ?? el("section"), { session, graphView, stepper });
  // A node the search or the inspector goes to is shown first if the view hides it (folded
  // away, or made in another iteration than the one shown).
  const revealHidden = (id) => {
    iterations.reveal(id);
    folding.reveal(id);
  };
  const search = createNodeSearch({ session, graphView, reveal: revealHidden });
  inspector.bind("node", (id) => {
    revealHidden(id);
    session.select(id, { focus: true });
  });
  $(".graph-toolbar")?.append(folding.element, search.element);
  bindDetailLevel(graphView);
  const minimap = createMinimap($(".graph-frame") ?? $("#graph-viewport").parentElement, graphView);
  const zoomGroup = $(".graph-toolbar .toolbar-group");
  if (zoomGroup) zoomGroup.after(minimap.toggle);
  else $(".graph-toolbar")?.append(minimap.toggle);
  stepper.bind("change", (overlay) =>
    minimap.setRunning(overlay?.engaged ? graphView.shownId(overlay.running) : null),
  );
  const oneIteration = () => minimap.setSuspended(iterations.chosen !== null);
  iterations.bind("change", oneIteration);
  session.bind("ran", oneIteration);
  session.bind("refused", oneIteration);
  revealInspectorOnSelect(graphView, $("#inspector"));
  renderLegend(legend, graphView.mode);
  onLanguageChange(() => {
    renderLegend(legend, graphView.mode);
    stepper.relabel();
    output.relabel();
    session.relabel();
    graphView.relabel();
    exercise.relabel();
    iterations.relabel();
    search.relabel();
    folding.relabel();
    minimap.relabel();
  });

  let pendingStep = null;
  session.bind("ran", () => {
    if (pendingStep) stepper.show(pendingStep.passPos, pendingStep.stepIndex);
    pendingStep = null;
  });
  session.bind("refused", () => {
    pendingStep = null;
  });
  /** Show what a link asks for (share.js decodeView): its view and exercise now, its pass and step after the next run. */
  function showView({ view, passPos, stepIndex, exercise: choice }) {
    const radio = $(`input[name="view"][value="${view}"]`);
    if (radio && !radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change"));
    }
    exercise.setChoice(choice);
    pendingStep = passPos > 0 || stepIndex >= 0 ? { passPos, stepIndex } : null;
  }
  return { editor, graphView, inspector, stepper, output, session, exercise, showView, iterations };
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
