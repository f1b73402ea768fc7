// One program and its graph, shared by the playground and the embed page: runs the program,
// builds the graph model of each answer (graph-model.js) and hands it to every view, and ties
// the views' events to each other (select a node, follow a source line, step through backward).
// It owns the message shown over the graph (no nodes, no drawing, nothing run yet). Nothing
// on screen outlives its program: a refused program clears the graph, the stepper and the
// inspector, and a program that stopped early says where, over the graph and in the stepper.
//
// Events (bind): "ran" (graph, code), "refused" (error, code).

import { emitter } from "./dom.js";
import { runProgram } from "./api.js";
import { createGraphModel } from "./graph-model.js";
import { t } from "./i18n.js";
import { errorLine } from "./labels.js";

// Failures after which the answer carries no graph, whatever the program had made.
const LOST = new Set(["TimeLimitExceeded", "WorkerCrashed", "GraphTooComplex"]);

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
  let shown = null; // the message over the graph: {key, values}, or null
  let marked = null; // the error whose line the editor marks (its tooltip is in the language)

  // A counter on <body> that changes when a run's answer is shown: lets tests and tools wait for it.
  const finished = () => {
    runs += 1;
    document.body.dataset.runs = String(runs);
  };


  function showMessage(key, values = {}) {
    shown = key ? { key, values } : null;
    if (!message) return;
    message.hidden = !key;
    if (key) {
      message.dataset.i18n = key;
      message.textContent = t(key, values);
    }
  }

  /**
   * Why there is no graph, or no backward pass, when the program did not run or stopped. A
   * program the worker had to stop (time, crash) or whose graph could not be walked may have
   * made tensors: its graph was lost, which is not the same as never made.
   */
  function whyEmpty(problem, refused) {
    const values = { type: problem.type, line: problem.line };
    if (LOST.has(problem.type)) return { graph: { key: "graph.lost", values }, stepper: { key: "stepper.lost", values } };
    const where = problem.line ? "_line" : "";
    return {
      graph: { key: `graph.${refused ? "refused" : "stopped"}${where}`, values },
      stepper: { key: refused ? "stepper.refused" : `stepper.stopped${where}`, values },
    };
  }

  function markError(problem) {
    marked = problem ?? null;
    editor.markError(problem && { ...problem, message: errorLine(problem) });
  }

  /** Show `answer` (null: a refused program) of `code`: every view, from the same model. */
  function show(answer, code, refused) {
    graph = answer;
    model = createGraphModel(answer);
    ranCode = code;
    graphView.render(model);
    const why = refused ? whyEmpty(refused, true) : answer.error ? whyEmpty(answer.error, false) : null;
    if (refused) showMessage(why.graph.key, why.graph.values);
    else if (!answer.nodes.length) showMessage(why?.graph.key ?? "graph.no_nodes", why?.graph.values);
    else if (!answer.svg && answer.render_error) showMessage("graph.render_error", { message: answer.render_error });
    else showMessage(null);
    stepper?.render(model, why?.stepper ?? null);
    passIndex = stepper?.passIndex ?? null;
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
      show(null, code, answer.error);
      output.refused(answer.error);
      markError(answer.error);
      select(null);
      events.emit("refused", answer.error, code);
      finished();
      return answer;
    }
    show(answer.graph, code, null);
    markError(graph.error);
    output.result(graph);
    select(selected);
    events.emit("ran", graph, code);
    finished();
    return answer;
  }

  graphView.bind("select", (id) => select(id));
  inspector?.bind("line", (line) => editor.highlightLine(line));
  output.bind("line", (line, col) => {
    editor.highlightLine(line);
    editor.focus();
    if (col) editor.placeCaret(line, col);
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
    /** The graph model of the last answer (graph-model.js). */
    get model() {
      return model;
    },
    /** Say `key` (an i18n key) over the graph, as when there is no program to run. */
    showMessage,
    relabel() {
      if (message && !message.hidden && shown) message.textContent = t(shown.key, shown.values);
      if (marked) markError(marked);
      paintInspector();
    },
  };
}
