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
// Graphviz writes each node's and edge's DOT name ("n3", "n3->n1") twice, as a comment before its
// group and as the group's first <title>. Neither is shown (our titles come on hover): at 5,000
// nodes, leaving these 20,000 nodes out of the text makes it parse about 25 ms faster. decorate()
// still drops any such <title> that this misses.
const DOT_NAMES = /<!--[^]*?-->\n?|(class="(?:node|edge)">\n)<title>[^<]*<\/title>\n/g;

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
      if (started) return;
      const inside = stage.contains(target);
      if (inside) ensureTitle(target.closest("g.node, g.edge"));
      hover(inside ? target.closest("g.node") : null);
    },
  });

  let graph = null;
  let mode = "autograd";
  let root = null; // the <svg> on screen
  let groups = new Map(); // id -> its <g> in root, for every node and edge
  let marked = new Set(); // the groups spotlight() gave a class
  let selectedGroup = null;
  let stepShown = false; // whether root carries the stepper's marks
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
    return graph.svg ? parseSvg(graph.svg.replace(DOT_NAMES, "$1")) : null;
  }

  function nodeName(node) {
    if (node.kind === "function") return t("graph.function_label", { op: node.op, symbol: opSymbol(node) });
    const shape = node.shape.length ? `[${node.shape.join(", ")}]` : t("graph.scalar");
    return t("graph.tensor_label", { name: node.label, role: t(`role_short.${node.role}`), shape });
  }

  function labelSvg() {
    root.setAttribute("aria-label", t(mode === "computation" ? "graph.svg_label_computation" : "graph.svg_label_autograd"));
  }

  /** A node group's name for assistive technology, and its drawn text in the current language. */
  function labelNode(group, node) {
    group.setAttribute("aria-label", nodeName(node));
    if (mode !== "computation") localizeShape(group, node);
  }

  function label() {
    labelSvg();
    for (const [id, group] of groups) {
      const node = nodesById.get(id);
      if (node && group.classList.contains("node")) labelNode(group, node);
    }
  }

  /** Graphviz draws a tensor as two lines, its name then its shape; "scalar" follows the language. */
  function localizeShape(group, node) {
    if (node.kind !== "tensor" || node.shape.length) return;
    const lines = $$("text", group);
    if (lines.length > 1) lines[lines.length - 1].textContent = t("graph.scalar");
  }

  /**
   * The tooltip of a node or edge group, made when the pointer or the focus first reaches it:
   * 10,000 <title> elements up front would cost a 5,000-node drawing tens of milliseconds to
   * make and style, for tooltips few of them ever show.
   */
  function ensureTitle(group) {
    if (!group || group.firstElementChild?.localName === "title") return;
    const node = nodesById.get(group.id);
    const edge = node ? null : edgesById.get(group.id);
    let text = null;
    if (node) text = node.kind === "function" ? node.op : `${node.label} · ${node.value?.text ?? ""}`;
    else if (edge) text = `${nodesById.get(edge.source)?.label ?? edge.source} → ${nodesById.get(edge.target)?.label ?? edge.target}`;
    if (text !== null) group.prepend(svg("title", {}, text));
  }

  // One pass over the groups, one attribute write each where possible: at 5,000 nodes every
  // extra query or element per group costs tens of milliseconds. Graphviz starts each group with
  // a <title> of its DOT name ("n3", "n3->n1"): it goes, and ensureTitle puts ours on hover.
  function decorate(svgRoot) {
    svgRoot.removeAttribute("width");
    svgRoot.removeAttribute("height");
    svgRoot.setAttribute("class", `graph-svg mode-${mode}`);
    svgRoot.classList.toggle("is-large", graph.nodes.length > LARGE_GRAPH);
    svgRoot.setAttribute("role", "group");
    svgRoot.setAttribute("data-testid", "graph-svg");
    svgRoot.setAttribute("preserveAspectRatio", "xMinYMin meet");
    groups = new Map();
    marked = new Set();
    selectedGroup = null;
    for (const group of svgRoot.querySelectorAll("g.node, g.edge")) {
      const id = group.id;
      groups.set(id, group);
      if (group.firstElementChild?.localName === "title") group.firstElementChild.remove();
      const node = nodesById.get(id);
      const edge = node ? null : edgesById.get(id);
      if (node) {
        const classes = node.role ? `kind-${node.kind} role-${node.role}` : `kind-${node.kind}`;
        group.setAttribute("class", `${group.getAttribute("class")} ${classes}`);
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "button");
        group.setAttribute("aria-pressed", "false");
        labelNode(group, node);
      } else if (edge) {
        group.setAttribute("class", `${group.getAttribute("class")} edge-${edge.kind}`);
      } else if (group.classList.contains("node")) {
        group.setAttribute("aria-pressed", "false");
      }
    }
    return svgRoot;
  }

  function draw() {
    stage.replaceChildren();
    groups = new Map();
    marked = new Set();
    selectedGroup = null;
    stepShown = false;
    root = graph?.nodes.length ? buildSvg() : null;
    if (!root) return;
    decorate(root); // labels the nodes too
    labelSvg();
    stage.append(root);
    panZoom.attach(root);
    select(selected);
    paintStep();
    spotlight();
  }

  /** The stepper's marks on root; a drawing that has none and gets none is left alone. */
  function paintStep() {
    if (!overlay && !stepShown) return;
    drawStepOverlay(root, overlay);
    stepShown = Boolean(overlay);
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

  /** Mark the traced lineage and the line's nodes; only the groups whose marks change are touched. */
  function spotlight() {
    if (!root) return;
    const ids = hoverIds ?? lineIds;
    root.classList.toggle("is-tracing", Boolean(ids));
    for (const group of marked) {
      if (!ids?.has(group.id)) group.classList.remove("is-lineage");
      if (!lineIds?.has(group.id)) group.classList.remove("is-line-match");
    }
    marked = new Set();
    const mark = (id, className) => {
      const group = groups.get(id);
      if (!group) return;
      group.classList.add(className); // no restyle when the group already has it
      marked.add(group);
    };
    for (const id of ids ?? []) mark(id, "is-lineage");
    for (const id of lineIds ?? []) mark(id, "is-line-match");
    for (const mark of stepShown ? $$(".agv-overlay > g", root) : []) {
      mark.classList.toggle("is-lineage", Boolean(ids?.has(mark.dataset.edge ?? mark.dataset.node)));
    }
  }

  function select(id, { emit = false } = {}) {
    selected = id && nodesById.has(id) ? id : null;
    // Every node starts unpressed (decorate); only the old and the new selection change.
    const group = (selected && groups.get(selected)) || null;
    if (group !== selectedGroup) {
      selectedGroup?.classList.remove("is-selected");
      selectedGroup?.setAttribute("aria-pressed", "false");
      group?.classList.add("is-selected");
      group?.setAttribute("aria-pressed", "true");
      selectedGroup = group;
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
    ensureTitle(event.target.closest?.("g.node, g.edge"));
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
      const link = (map, from, to) => {
        const list = map.get(from);
        if (list) list.push(to);
        else map.set(from, [to]);
      };
      for (const e of graph?.edges ?? []) {
        link(parents, e.target, e.source);
        link(children, e.source, e.target);
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
      paintStep();
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
      const group = groups.get(id);
      if (!group?.classList.contains("node")) return;
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
      paintStep();
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
