// The graph view: the server's Graphviz SVG (autograd view) or the client-built computation
// view, with pan and zoom (pan-zoom.js), hover tracing of ancestors and descendants, selection,
// nodes lit by a source line, and the backward stepper's overlay (step-overlay.js). Node and
// edge ids in both SVGs are the JSON ids; each node is a focusable, labelled button.
//
// Events (bind): "select" (node id or null).

import { $$, el, emitter, on, parseSvg, svg } from "./dom.js";
import { buildComputationSvg, opSymbol } from "./computation-view.js";
import { createPanZoom } from "./pan-zoom.js";
import { drawStepOverlay } from "./step-overlay.js";
import { t } from "./i18n.js";

// Above this many nodes the drawing skips its hover fades (app.css, .is-large).
const LARGE_GRAPH = 300;

export function createGraphView(viewport, { wheel = "always" } = {}) {
  const events = emitter();
  const stage = el("div", { class: "graph-stage" });
  viewport.append(stage);
  const panZoom = createPanZoom(viewport, stage, {
    wheel,
    onTap: (target) => select(target.closest?.("g.node")?.id ?? null, { emit: true }),
    // Hover tracing waits while the drawing moves (restyling the lineage of a node in a
    // 5,000-node drawing takes 150-200 ms), then follows whatever ended up under the pointer.
    onGesture: (started, target) => {
      if (!started) hover(stage.contains(target) ? target.closest("g.node") : null);
    },
  });

  let graph = null;
  let mode = "autograd";
  let root = null; // the <svg> on screen
  let nodesById = new Map();
  let edgesById = new Map();
  let parents = new Map();
  let children = new Map();
  let selected = null;
  let hoverId = null; // the node whose lineage hoverIds holds
  let hoverIds = null;
  let lineIds = null;
  let overlay = null;

  // --- drawing ------------------------------------------------------------------------------
  function buildSvg() {
    if (mode === "computation") return buildComputationSvg(graph);
    return graph.svg ? parseSvg(graph.svg) : null;
  }

  function nodeName(node) {
    if (node.kind === "function") return t("graph.function_label", { op: node.op, symbol: opSymbol(node) });
    const shape = node.shape.length ? `[${node.shape.join(", ")}]` : t("graph.scalar");
    return t("graph.tensor_label", { name: node.label, role: t(`role_short.${node.role}`), shape });
  }

  function label() {
    root.setAttribute("aria-label", t(mode === "computation" ? "graph.svg_label_computation" : "graph.svg_label_autograd"));
    for (const group of $$("g.node", root)) {
      const node = nodesById.get(group.id);
      if (!node) continue;
      group.setAttribute("aria-label", nodeName(node));
      if (mode !== "computation") localizeShape(group, node);
    }
  }

  /** Graphviz draws a tensor as two lines, its name then its shape; "scalar" follows the language. */
  function localizeShape(group, node) {
    if (node.kind !== "tensor" || node.shape.length) return;
    const lines = $$("text", group);
    if (lines.length > 1) lines[lines.length - 1].textContent = t("graph.scalar");
  }

  function decorate(svgRoot) {
    svgRoot.removeAttribute("width");
    svgRoot.removeAttribute("height");
    svgRoot.setAttribute("class", `graph-svg mode-${mode}`);
    svgRoot.classList.toggle("is-large", graph.nodes.length > LARGE_GRAPH);
    svgRoot.setAttribute("role", "group");
    svgRoot.setAttribute("data-testid", "graph-svg");
    svgRoot.setAttribute("preserveAspectRatio", "xMinYMin meet");
    for (const group of $$("g.node", svgRoot)) {
      const node = nodesById.get(group.id);
      if (!node) continue;
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "button");
      group.classList.add(`kind-${node.kind}`, ...(node.role ? [`role-${node.role}`] : []));
      group.querySelector("title")?.remove();
      group.prepend(svg("title", {}, node.kind === "function" ? node.op : `${node.label} · ${node.value?.text ?? ""}`));
    }
    for (const group of $$("g.edge", svgRoot)) {
      const edge = edgesById.get(group.id);
      if (!edge) continue;
      group.classList.add(`edge-${edge.kind}`);
      group.querySelector("title")?.remove();
      const from = nodesById.get(edge.source)?.label ?? edge.source;
      const to = nodesById.get(edge.target)?.label ?? edge.target;
      group.prepend(svg("title", {}, `${from} → ${to}`));
    }
    return svgRoot;
  }

  function draw() {
    stage.replaceChildren();
    root = graph?.nodes.length ? buildSvg() : null;
    if (!root) return;
    decorate(root);
    label();
    stage.append(root);
    panZoom.attach(root);
    select(selected);
    drawStepOverlay(root, overlay);
    spotlight();
  }

  // --- tracing, selection, line matches -----------------------------------------------------
  function reach(id, next) {
    const found = new Set([id]);
    const stack = [id];
    while (stack.length) {
      for (const other of next.get(stack.pop()) ?? []) {
        if (!found.has(other)) {
          found.add(other);
          stack.push(other);
        }
      }
    }
    return found;
  }

  /** A node, everything upstream and downstream of it, and the edges between them. */
  function lineage(id) {
    const up = reach(id, parents);
    const down = reach(id, children);
    const edges = graph.edges
      .filter((e) => (up.has(e.source) && up.has(e.target)) || (down.has(e.source) && down.has(e.target)))
      .map((e) => e.id);
    return new Set([...up, ...down, ...edges]);
  }

  function spotlight() {
    if (!root) return;
    const ids = hoverIds ?? lineIds;
    root.classList.toggle("is-tracing", Boolean(ids));
    for (const group of $$("g.node, g.edge", root)) {
      group.classList.toggle("is-lineage", Boolean(ids?.has(group.id)));
      group.classList.toggle("is-line-match", Boolean(lineIds?.has(group.id)));
    }
    for (const mark of $$(".agv-overlay > g", root)) {
      mark.classList.toggle("is-lineage", Boolean(ids?.has(mark.dataset.edge ?? mark.dataset.node)));
    }
  }

  function select(id, { emit = false } = {}) {
    selected = id && nodesById.has(id) ? id : null;
    for (const group of root ? $$("g.node", root) : []) {
      group.classList.toggle("is-selected", group.id === selected);
      group.setAttribute("aria-pressed", String(group.id === selected));
    }
    if (emit) events.emit("select", selected);
  }

  /** Trace the lineage of the node `group` (null: none); nothing to do if it is already shown. */
  function hover(group) {
    const id = group && graph ? group.id : null;
    if (id === hoverId) return;
    hoverId = id;
    hoverIds = id === null ? null : lineage(id);
    spotlight();
  }

  function trace(event) {
    if (!panZoom.busy) hover(event.target.closest?.("g.node") ?? null);
  }

  function untrace() {
    if (!panZoom.busy) hover(null);
  }

  on(stage, "pointerover", trace);
  on(stage, "pointerleave", untrace);
  on(stage, "focusin", (event) => {
    trace(event);
    const group = event.target.closest?.("g.node");
    if (group) panZoom.reveal(group);
  });
  on(stage, "focusout", untrace);
  on(viewport, "keydown", (event) => {
    const node = event.target.closest?.("g.node");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(node.id, { emit: true });
    } else if (event.key === "Escape" && selected) {
      select(null, { emit: true });
    }
  });

  return {
    bind: events.bind,
    /** Show a graph (an /api/graph answer); keeps the selection when the node still exists. */
    render(nextGraph) {
      graph = nextGraph;
      nodesById = new Map((graph?.nodes ?? []).map((node) => [node.id, node]));
      edgesById = new Map((graph?.edges ?? []).map((edge) => [edge.id, edge]));
      parents = new Map();
      children = new Map();
      for (const e of graph?.edges ?? []) {
        parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);
        children.set(e.source, [...(children.get(e.source) ?? []), e.target]);
      }
      if (!nodesById.has(selected)) selected = null;
      hoverId = null;
      hoverIds = null;
      lineIds = null;
      overlay = null;
      draw();
    },
    /** Re-read the strings after a language switch, keeping the view's state. */
    relabel() {
      if (!root) return;
      if (mode === "computation") {
        draw(); // its node texts are drawn in the current language
        return;
      }
      label();
      drawStepOverlay(root, overlay);
      spotlight();
    },
    setMode(next) {
      if (next === mode) return;
      mode = next;
      draw();
    },
    get mode() {
      return mode;
    },
    zoomBy: panZoom.zoomBy,
    fit: panZoom.fit,
    naturalSize: panZoom.naturalSize,
    fitHeight: panZoom.fitHeight,
    setBusy(flag) {
      viewport.classList.toggle("is-busy", flag);
      viewport.setAttribute("aria-busy", String(flag));
    },
    select: (id) => select(id),
    focusNode(id) {
      const group = root?.querySelector(`g.node[id="${CSS.escape(id)}"]`);
      if (!group) return;
      panZoom.reveal(group);
      group.focus({ preventScroll: true });
    },
    /** Light up the nodes created on a source line (from the editor); returns how many. */
    highlightLine(line) {
      const ids = line ? (graph?.nodes.filter((node) => node.line === line).map((node) => node.id) ?? []) : [];
      lineIds = ids.length ? new Set(ids) : null;
      spotlight();
      return ids.length;
    },
    /** The stepper's state (stepper.overlayAt), or null for none. */
    showStep(next) {
      overlay = next;
      if (!root) return;
      drawStepOverlay(root, overlay);
      spotlight();
    },
    /** The current picture as standalone SVG text (what the export buttons save). */
    svgText() {
      if (!graph) return null;
      if (mode === "autograd" && graph.svg) return graph.svg;
      const clean = buildSvg();
      return clean ? `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clean)}` : null;
    },
  };
}
