// One iteration of a training loop at a time. Every node of an answer carries `iteration` (how
// many backward() calls had run when it was made, docs/api.md); a program whose nodes were made
// in 3 or more iterations gets a selector (by default the last iteration; "All" shows the whole
// graph), and the loss curve (loss-curve.js) under it. Iteration k shows the nodes made in it
// and every node they read from (their inputs: the parameters, made before the loop); the
// stepper's pass follows the iteration when that iteration's pass was kept, and the iteration
// follows the stepper's pass.
//
// iterationView() is the pure part; createIterationFilter() is a graph-view overlay that hides
// what the chosen iteration does not show; createIterations() is the panel.

import { el, emitter, on } from "./dom.js";
import { icon } from "./icons.js";
import { t } from "./i18n.js";
import { createLossCurve } from "./loss-curve.js";
import { layOut, restore } from "./iteration-layout.js";

// Fewer distinct iterations than this among function nodes: the graph is shown whole, no selector.
const MIN_ITERATIONS = 3;
const ALL = "all";

/** The iterations the nodes of `model` were made in, ascending, or [] when there are too few to choose from. */
export function iterationsOf(model) {
  const made = new Set();
  for (const node of model.nodes) if (node.kind === "function" && Number.isInteger(node.iteration)) made.add(node.iteration);
  if (made.size < MIN_ITERATIONS) return [];
  const all = new Set(model.nodes.map((node) => node.iteration).filter(Number.isInteger));
  return [...all].sort((a, b) => a - b);
}

/**
 * What iteration `k` shows: its nodes and their inputs (`nodes`), the edges into its nodes
 * (`edges`) and the nodes made in it (`made`): id sets.
 */
export function iterationView(model, k) {
  const nodes = new Set();
  const edges = new Set();
  const made = new Set();
  for (const node of model.nodes) {
    if (node.iteration !== k) continue;
    made.add(node.id);
    nodes.add(node.id);
    for (const edge of model.incoming(node.id)) {
      edges.add(edge.id);
      nodes.add(edge.source);
    }
  }
  return { nodes, edges, made };
}

/**
 * The graph view's overlay that hides every node and edge the chosen iteration does not show
 * (state: an iterationView, or null for the whole graph), lays out what is left again
 * (iteration-layout.js) and fits the view to it (`fit(ids)`, set by the page:
 * graphView.fitNodes), once per drawing and state.
 */
export function createIterationFilter() {
  let fitted = null; // [root, state] last fitted
  const filter = {
    name: "iteration",
    fit: () => {},
    apply(root, model, state) {
      if (fitted?.[0] === root && fitted[1] === state) return; // drawn already (the stepper repaints each step)
      restore(root);
      const nodes = new Map();
      const edges = [];
      for (const group of root.querySelectorAll("g.node, g.edge")) {
        const isNode = group.classList.contains("node");
        const shown = isNode ? state.nodes.has(group.id) : state.edges.has(group.id);
        group.classList.toggle("is-other-iteration", !shown);
        if (shown && isNode) nodes.set(group.id, group);
        const edge = shown && !isNode ? model.edge(group.id) : null;
        if (edge) edges.push({ group, source: edge.source, target: edge.target });
      }
      layOut(nodes, edges);
      fitted = [root, state];
      filter.fit(state.nodes);
    },
    clear(root) {
      restore(root);
      for (const group of root.querySelectorAll(".is-other-iteration")) group.classList.remove("is-other-iteration");
      if (fitted?.[0] === root && fitted[1] !== null) filter.fit(null);
      fitted = [root, null];
    },
  };
  return filter;
}

/**
 * The iteration panel in `root`: selector, previous/next buttons and the loss curve. Wires itself
 * to the session ("ran", "refused"), the graph view (its "iteration" overlay) and the stepper.
 * Events (bind): "change" (iteration number, or null for all).
 */
export function createIterations(root, { session, graphView, stepper }) {
  const events = emitter();
  let model = null;
  let iterations = [];
  let chosen = null; // an iteration number, or null: the whole graph

  const label = el("label", { class: "iterations-label", for: "iteration-select", "data-i18n": "iter.label" }, t("iter.label"));
  const select = el("select", { id: "iteration-select", class: "select iterations-select", "data-testid": "iteration-select" });
  const button = (name, key, step, testId) =>
    el("button", { type: "button", class: "icon-button", "data-i18n-aria": key, "aria-label": t(key), title: t(key), "data-testid": testId, on: { click: () => move(step) } }, icon(name));
  const prev = button("step-back", "iter.prev", -1, "iteration-prev");
  const next = button("step-forward", "iter.next", 1, "iteration-next");
  const selector = el("div", { class: "iterations-selector", role: "group", "aria-label": t("iter.label"), "data-i18n-aria": "iter.label" }, label, prev, select, next);
  const curve = createLossCurve({ onPick: (call, step) => (step ? move(step) : choose(nearest(call))) });
  root.replaceChildren(selector, curve.element);
  root.hidden = true;

  on(select, "change", () => choose(select.value === ALL ? null : Number(select.value)));

  function nearest(call) {
    if (!iterations.length) return null;
    return iterations.reduce((best, k) => (Math.abs(k - call) < Math.abs(best - call) ? k : best), iterations[0]);
  }

  function move(step) {
    if (!iterations.length) return;
    const at = chosen === null ? (step > 0 ? -1 : iterations.length) : iterations.indexOf(chosen);
    const to = Math.max(0, Math.min(iterations.length - 1, at + step));
    choose(iterations[to]);
  }

  function paint() {
    selector.hidden = !iterations.length;
    const options = [el("option", { value: ALL, selected: chosen === null }, t("iter.all"))];
    for (const k of iterations) options.push(el("option", { value: String(k), selected: k === chosen }, t("iter.option", { n: k })));
    select.replaceChildren(...options);
    prev.disabled = chosen !== null && chosen === iterations[0];
    next.disabled = chosen === null || chosen === iterations[iterations.length - 1];
    curve.mark(chosen);
  }

  /** Show iteration `k` (null: all), and the pass of that iteration in the stepper when it was kept. */
  function choose(k, { follow = true } = {}) {
    const value = k !== null && iterations.includes(k) ? k : null;
    chosen = value;
    graphView.showOverlay("iteration", value === null ? null : iterationView(model, value));
    paint();
    if (follow && value !== null && stepper) {
      const pos = model.backward.findIndex((pass) => pass.call === value);
      if (pos >= 0 && stepper.position.passPos !== pos) stepper.show(pos, -1);
    }
    events.emit("change", value);
  }

  function load(graph) {
    model = graph ? session.model : null;
    iterations = model ? iterationsOf(model) : [];
    curve.render(graph?.curve ?? []);
    root.hidden = !iterations.length && !curve.shown;
    const last = model?.backward.length ? model.backward[model.backward.length - 1].call : null;
    chosen = null;
    if (iterations.length) choose(iterations.includes(last) ? last : iterations[iterations.length - 1]);
    else {
      // The new drawing may already carry the last program's filter, applied while `chosen`
      // was still the last program's iteration (a stepper change comes before this load).
      graphView.showOverlay("iteration", null);
      paint();
    }
  }

  session.bind("ran", (graph) => load(graph));
  session.bind("refused", () => load(null));
  stepper?.bind("change", (overlay) => {
    const call = overlay?.pass?.call;
    if (chosen !== null && Number.isInteger(call) && call !== chosen && iterations.includes(call)) choose(call, { follow: false });
  });

  return {
    bind: events.bind,
    choose,
    /** The iteration shown (null: the whole graph). */
    get chosen() {
      return chosen;
    },
    /** Show the iteration node `id` was made in, if the view hides it. */
    reveal(id) {
      const node = model?.node(id);
      if (chosen === null || !node || iterationView(model, chosen).nodes.has(id)) return;
      choose(node.iteration);
    },
    relabel() {
      selector.setAttribute("aria-label", t("iter.label"));
      for (const [control, key] of [[prev, "iter.prev"], [next, "iter.next"]]) {
        control.setAttribute("aria-label", t(key));
        control.title = t(key);
      }
      label.textContent = t("iter.label");
      paint();
      curve.relabel();
    },
  };
}
