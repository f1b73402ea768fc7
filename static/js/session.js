// One program and its graph, shared by the playground and the embed page: runs the program,
// builds the graph model of each answer (graph-model.js) and hands it to every view, and ties
// the views' events to each other (select a node, follow a source line, step through backward).
// It owns the message shown over the graph (no nodes, no drawing, nothing run yet).
//
// Events (bind): "ran" (graph, code), "refused" (error, code).

import { emitter } from "./dom.js";
import { runProgram } from "./api.js";
import { createGraphModel } from "./graph-model.js";
import { t } from "./i18n.js";

export function createSession({ editor, graphView, inspector, stepper, output, message }) {
  const events = emitter();
  let graph = null; // the last answer, as the API sent it
  let model = createGraphModel(null);
  let ranCode = null;
  let selected = null;
  let passIndex = null;
  let at = null; // the stepper's state (stepper.js overlayAt), for the inspector
  let inFlight = null;
  let runs = 0;

  // A counter on <body> that changes when a run's answer is shown: lets tests and tools wait for it.
  const finished = () => {
    runs += 1;
    document.body.dataset.runs = String(runs);
  };


  function showMessage(key, values) {
    if (!message) return;
    message.hidden = !key;
    if (key) {
      message.dataset.i18n = key;
      message.textContent = t(key, values);
    }
  }

  function paintInspector() {
    inspector?.render(model.node(selected), model, {
      passIndex,
      at,
      lineText: (line) => (ranCode ?? "").split("\n")[line - 1] ?? "",
    });
  }

  function select(id, { focus = false } = {}) {
    selected = model.hasNode(id) ? id : null;
    graphView.select(selected);
    if (focus && selected) graphView.focusNode(selected);
    paintInspector();
  }

  async function run(code = editor.getValue()) {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    output.running();
    graphView.setBusy?.(true);
    let answer;
    try {
      answer = await runProgram(code, { signal: controller.signal });
    } catch (exc) {
      if (exc.name === "AbortError") return null;
      answer = { ok: false, error: { type: "Error", message: String(exc) } };
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        graphView.setBusy?.(false);
      }
    }
    if (controller.signal.aborted) return null;
    if (!answer.ok) {
      output.refused(answer.error);
      editor.markError(answer.error);
      events.emit("refused", answer.error, code);
      finished();
      return answer;
    }
    graph = answer.graph;
    model = createGraphModel(graph);
    ranCode = code;
    graphView.render(model);
    if (!graph.nodes.length) showMessage("graph.no_nodes");
    else if (!graph.svg && graph.render_error) showMessage("graph.render_error", { message: graph.render_error });
    else showMessage(null);
    stepper?.render(model);
    passIndex = stepper?.passIndex ?? null;
    editor.markError(graph.error);
    output.result(graph);
    select(selected);
    events.emit("ran", graph, code);
    finished();
    return answer;
  }

  graphView.bind("select", (id) => select(id));
  inspector?.bind("node", (id) => select(id, { focus: true }));
  inspector?.bind("line", (line) => editor.highlightLine(line));
  output.bind("line", (line) => {
    editor.highlightLine(line);
    editor.focus();
  });
  editor.bind("line", (line) => {
    if (graph && editor.getValue() === ranCode) graphView.highlightLine(line);
    else graphView.highlightLine(null);
  });
  editor.bind("change", (code) => output.edited(code !== ranCode));
  editor.bind("run", () => run());
  // The state at the stepper's position: drawn on the graph (values and .grad on the nodes
  // always; the step's marks once the learner steps), and what the inspector shows.
  stepper?.bind("change", (overlay) => {
    graphView.showOverlay("step", overlay);
    if (overlay?.engaged && overlay.running) graphView.reveal?.(overlay.running);
    at = overlay;
    passIndex = stepper.passIndex ?? null;
    paintInspector();
  });

  return {
    bind: events.bind,
    run,
    select,
    get graph() {
      return graph;
    },
    get code() {
      return ranCode;
    },
    /** Say `key` (an i18n key) over the graph, as when there is no program to run. */
    showMessage,
    relabel() {
      if (message && !message.hidden && message.dataset.i18n) message.textContent = t(message.dataset.i18n);
      paintInspector();
    },
  };
}
