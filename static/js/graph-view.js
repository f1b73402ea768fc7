// The graph view: the server's Graphviz SVG (autograd view) or the client-built computation
// view of a graph model (graph-model.js), with pan and zoom (pan-zoom.js), hover tracing of
// ancestors and descendants, selection, nodes lit by a source line, and overlays drawn over the
// picture. Node and edge ids in both SVGs are the JSON ids; each node is a focusable, labelled
// button.
//
// Overlays: the list given to createGraphView, drawn in its order; each is an object
// {name, apply(root, model, state), clear(root), trace?(root, ids)} (step-overlay.js, the
// backward stepper's, is the first). showOverlay(name, state) gives one its state (null: draw
// nothing); the view calls it again for each new drawing and language, and tells it what hover
// tracing lights. The view never reads what an overlay drew.
//
// Display options the overlays read (the 4th argument of apply): `values`, whether each tensor
// node shows its value and .grad (setValues; by default on, off for dense graphs).
//
// Events (bind): "select" (node id or null), "values" (whether values are shown, after each
// drawing and each change), "drawn" (the new <svg>, or null for none), "view" (the view moved);
// a large drawing's first picture (below) emits "drawn" with null, then its <svg> once built.
//
// Folding (option `fold`, module-fold-control.js): the view draws fold.view(model), a large
// graph folded by module (module-fold-view.js); a click or Enter on a folded module opens it
// (fold.open), and the view redraws on the folding's "change". A node folded away is found as
// the module that shows it (model.shownAs).
//
// First picture: from PREVIEW_FROM nodes, an autograd drawing is first painted on a canvas from
// its SVG text (drawing-preview.js), in the task that received it; the interactive SVG is built
// in a task after that picture's frame and swapped in with the view as the canvas left it. Until
// then the viewport is aria-busy and "drawn" waits; a tap on the picture acts on what is under
// it once the SVG is in.

import { $$, el, emitter, on, parseSvg, svg } from "./dom.js";
import { buildComputationSvg, opSymbol } from "./computation-view.js";
import { createGraphModel } from "./graph-model.js";
import { FIT_MARGIN, createPanZoom } from "./pan-zoom.js";
import { separateLabels } from "./label-layout.js";
import { moveFocusAlongEdges } from "./edge-keys.js";
import { t } from "./i18n.js";
import { isUnnamed, nodeLabel } from "./labels.js";
import { standaloneSvg } from "./export.js";
import { buildFoldedSvg, foldedName } from "./module-fold-view.js";
import { clientToView, showPicture, viewToClient } from "./drawing-preview.js";

// Above this many nodes the drawing skips its hover fades (app.css, .is-large).
const LARGE_GRAPH = 300;
// Above this many tensor nodes, values and .grad start hidden (the toolbar's toggle shows them).
const DENSE_GRAPH = 40;
// From this many nodes, the nodes' accessible names are written after the first picture, a chunk
// per task (at 20,000 nodes they cost a few hundred ms); a node focused before its turn is named
// at once.
const NAME_LATER = 2_000;
const NAME_CHUNK = 2_000;
// From this many nodes, the first picture is a canvas (drawing-preview.js).
const PREVIEW_FROM = 2_000;
// From this many nodes, hover tracing waits until the pointer has rested on a node this long:
// lighting a lineage restyles the whole drawing (half a second for a 20,000-node chain, whose
// every node is in each lineage), which a pointer only passing over the drawing, or about to
// drag or zoom it, should not pay.
const TRACE_REST_FROM = 2_000;
const TRACE_REST_MS = 250;
// Graphviz writes each node's and edge's DOT name ("n3", "n3->n1") twice, as a comment before its
// group and as the group's first <title>. Neither is shown (our titles come on hover): at 5,000
// nodes, leaving these 20,000 nodes out of the text makes it parse about 25 ms faster. decorate()
// still drops any such <title> that this misses.
const DOT_NAMES = /<!--[^]*?-->\n?|(class="(?:node|edge)">\n)<title>[^<]*<\/title>\n/g;

export function createGraphView(viewport, { wheel = "always", overlays = [], fold = null } = {}) {
  const events = emitter();
  const stage = el("div", { class: "graph-stage" });
  viewport.append(stage);
  let preview = null; // while the first picture is shown: {picture (showPicture's), frame, timer, tap}
  let pressedAt = null; // where the last press on the viewport was (client px)
  let runBusy = false; // setBusy's flag (a run under way)
  let traceTimer = 0; // what traces the node under a resting pointer (large drawings)
  const panZoom = createPanZoom(viewport, stage, {
    wheel,
    onTap: (target) => {
      if (!preview) activate(target.closest?.("g.node")?.id ?? null);
      else if (pressedAt) preview.tap = clientToView(viewport, panZoom, pressedAt.x, pressedAt.y);
    },
    // Hover tracing waits while the drawing moves (restyling the lineage of a node in a
    // 5,000-node drawing takes 150-200 ms), then follows whatever ended up under the pointer.
    onGesture: (started, target) => {
      clearTimeout(traceTimer);
      if (started) return;
      followView();
      const inside = stage.contains(target);
      if (inside) ensureTitle(target.closest("g.node, g.edge"));
      hoverAtRest(inside ? target.closest("g.node") : null);
    },
    onFit: () => placeLabels(),
    onView: () => {
      preview?.picture.repaint();
      events.emit("view");
    },
  });

  let full = null; // the graph model of the answer (graph-model.js), or null before the first graph
  let model = null; // what is drawn: `full`, or `full` folded by module
  let mode = "autograd";
  let root = null; // the <svg> on screen
  let groups = new Map(); // id -> its <g> in root, for every node and edge
  let marked = new Set(); // the groups spotlight() gave a class
  let selectedGroup = null;
  let states = new Map(); // overlay name -> its state (absent or null: nothing to draw)
  let shown = new Set(); // the overlays whose marks root carries
  let selected = null;
  let hoverId = null; // the node whose lineage hoverIds holds
  let hoverIds = null;
  let lineIds = null;
  let valuesChoice = null; // the learner's choice of showing values (null: by the graph's size)
  let placedFor = null; // what the view showed when the labels were last placed
  let unnamed = []; // node groups still without their accessible name (big drawings)
  let naming = { frame: 0, timer: 0 }; // what names the next chunk of them

  // --- drawing ------------------------------------------------------------------------------
  function buildSvg() {
    if (model.folded) return buildFoldedSvg(model);
    if (mode === "computation") return buildComputationSvg(model);
    return model.svg ? parseSvg(model.svg.replace(DOT_NAMES, "$1")) : null;
  }

  /**
   * A node's accessible name: the words drawn in it, in their order, then what kind of node it
   * is ("x scalar, leaf tensor"). Starting with the drawn words keeps the name true to what a
   * sighted or voice-control user reads (WCAG's label in name).
   */
  function nodeName(group, node) {
    // One read of the group's text (no query per node: a drawing can have 5,000), less our tooltip,
    // which ensureTitle puts first. Both views separate a node's texts by line breaks.
    let drawn = group.textContent;
    if (group.firstChild?.localName === "title") drawn = drawn.slice(group.firstChild.textContent.length);
    drawn = drawn.replace(/\s+/g, " ").trim();
    if (node.kind === "group") return foldedName(drawn);
    if (node.kind === "function") {
      const other = mode === "computation" ? node.op : opSymbol(node);
      return t("graph.node_function", { drawn, other: other === drawn ? "" : other }).trim();
    }
    return t("graph.node_tensor", { drawn, role: t(`role_short.${node.role}`) });
  }

  function labelSvg() {
    root.setAttribute("aria-label", t(mode === "computation" ? "graph.svg_label_computation" : "graph.svg_label_autograd"));
  }

  /** A node group's name for assistive technology, and its drawn text in the current language. */
  function labelNode(group, node) {
    if (mode !== "computation") localizeShape(group, node);
    group.setAttribute("aria-label", nodeName(group, node));
  }

  /** Name the node groups of `unnamed` a chunk per task, starting after the next frame. */
  function nameLater() {
    cancelAnimationFrame(naming.frame);
    clearTimeout(naming.timer);
    const next = () => {
      for (const group of unnamed.splice(0, NAME_CHUNK)) nameNow(group);
      naming.timer = unnamed.length ? setTimeout(next) : 0;
    };
    naming = { frame: unnamed.length ? requestAnimationFrame(() => (naming.timer = setTimeout(next))) : 0, timer: 0 };
  }

  /** Give a node group its accessible name if it has none yet. */
  function nameNow(group) {
    const node = group && !group.hasAttribute("aria-label") ? model?.node(group.id) : null;
    if (node && group.classList.contains("node")) labelNode(group, node);
  }

  function label() {
    unnamed = [];
    labelSvg();
    for (const [id, group] of groups) {
      const node = model.node(id);
      if (node && group.classList.contains("node")) labelNode(group, node);
    }
  }

  /**
   * Graphviz draws a tensor as two lines, its name then its shape; "scalar" and an unnamed
   * tensor's role word follow the language (the server drew them in the language of the run).
   */
  function localizeShape(group, node) {
    if (node.kind !== "tensor" || (node.shape.length && !isUnnamed(node))) return;
    const lines = $$("text", group);
    if (lines.length < 2) return;
    if (isUnnamed(node)) lines[0].textContent = nodeLabel(node);
    if (!node.shape.length) lines[lines.length - 1].textContent = t("graph.scalar");
  }

  /**
   * The tooltip of a node or edge group, made when the pointer or the focus first reaches it:
   * 10,000 <title> elements up front would cost a 5,000-node drawing tens of milliseconds to
   * make and style, for tooltips few of them ever show.
   */
  function ensureTitle(group) {
    if (!group || group.firstElementChild?.localName === "title") return;
    const node = model.node(group.id);
    const edge = node ? null : model.edge(group.id);
    let text = null;
    if (node) text = node.kind === "function" ? node.op : `${nodeLabel(node)} · ${node.value?.text ?? ""}`;
    else if (edge) text = `${model.name(edge.source)} → ${model.name(edge.target)}`;
    if (text !== null) group.prepend(svg("title", {}, text));
  }

  // One pass over the groups, one attribute write each where possible: at 5,000 nodes every
  // extra query or element per group costs tens of milliseconds. Graphviz starts each group with
  // a <title> of its DOT name ("n3", "n3->n1"): it goes, and ensureTitle puts ours on hover.
  function decorate(svgRoot) {
    svgRoot.removeAttribute("width");
    svgRoot.removeAttribute("height");
    svgRoot.setAttribute("class", `graph-svg mode-${mode}`);
    svgRoot.classList.toggle("is-large", model.nodes.length > LARGE_GRAPH);
    svgRoot.setAttribute("role", "group");
    svgRoot.setAttribute("data-testid", "graph-svg");
    svgRoot.setAttribute("preserveAspectRatio", "xMinYMin meet");
    groups = new Map();
    marked = new Set();
    selectedGroup = null;
    unnamed = [];
    const later = model.nodes.length >= NAME_LATER;
    for (const group of svgRoot.querySelectorAll("g.node, g.edge")) {
      const id = group.id;
      groups.set(id, group);
      if (group.firstElementChild?.localName === "title") group.firstElementChild.remove();
      const node = model.node(id);
      const edge = node ? null : model.edge(id);
      if (node) {
        const classes = node.role ? `kind-${node.kind} role-${node.role}` : `kind-${node.kind}`;
        group.setAttribute("class", `${group.getAttribute("class")} ${classes}`);
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "button");
        group.setAttribute("aria-pressed", "false");
        if (node.kind === "group") group.setAttribute("aria-expanded", "false");
        if (later) unnamed.push(group);
        else labelNode(group, node);
      } else if (edge) {
        group.setAttribute("class", `${group.getAttribute("class")} edge-${edge.kind}`);
      } else if (group.classList.contains("node")) {
        group.setAttribute("aria-pressed", "false");
      }
    }
    return svgRoot;
  }

  function draw() {
    endPreview();
    clearTimeout(traceTimer);
    stage.replaceChildren();
    unnamed = [];
    groups = new Map();
    marked = new Set();
    selectedGroup = null;
    shown = new Set();
    root = null;
    if (model?.nodes.length >= PREVIEW_FROM && mode === "autograd" && !model.folded && model.svg && startPreview()) return;
    show(model?.nodes.length ? buildSvg() : null);
  }

  /** Put the built <svg> `svgRoot` (null: none) on screen; `keepView` keeps the first picture's view. */
  function show(svgRoot, { keepView = false } = {}) {
    root = svgRoot;
    if (!root) {
      stage.replaceChildren();
      events.emit("drawn", null);
      return;
    }
    decorate(root); // labels the nodes too (big drawings: nameLater)
    labelSvg();
    nameLater();
    stage.replaceChildren(root);
    panZoom.attach(root, { keepView, nodes: model.nodes.length });
    select(selected);
    paintOverlays();
    spotlight();
    events.emit("values", valuesShown());
    events.emit("drawn", root);
  }

  // --- first picture of a large drawing (drawing-preview.js) --------------------------------
  /** Show the drawing's first picture and plan the SVG's build; false if the text is unreadable. */
  function startPreview() {
    const picture = showPicture(viewport, stage, panZoom, model.svg);
    if (!picture) return false;
    const current = { picture, frame: 0, timer: 0, tap: null };
    preview = current;
    markBusy();
    panZoom.attach(picture.extent); // fits: paints the picture (onView)
    events.emit("drawn", null); // no <svg> to read yet
    // Two tasks after the picture's frame: what waits for that frame to be painted (input, a
    // requestAnimationFrame then a task) runs before the long build of the SVG.
    current.frame = requestAnimationFrame(() => (current.timer = setTimeout(() => (current.timer = setTimeout(swapIn)))));
    return true;
  }

  /** Build the interactive SVG and put it in the picture's place, keeping the view. */
  function swapIn() {
    const { tap } = preview;
    const svgRoot = buildSvg();
    endPreview();
    show(svgRoot, { keepView: true });
    if (tap && root) requestAnimationFrame(() => setTimeout(() => replayTap(tap)));
  }

  /** Act on the node at the drawing's point `tap` (a tap made on the first picture). */
  function replayTap(tap) {
    const { x, y } = viewToClient(viewport, panZoom, tap.x, tap.y);
    const hit = document.elementFromPoint(x, y);
    if (hit && stage.contains(hit)) activate(hit.closest("g.node")?.id ?? null);
  }

  function endPreview() {
    if (!preview) return;
    cancelAnimationFrame(preview.frame);
    clearTimeout(preview.timer);
    preview.picture.remove();
    preview = null;
    markBusy();
  }

  /** aria-busy while a run is under way or the drawing is still its first picture. */
  function markBusy() {
    viewport.classList.toggle("is-busy", runBusy);
    viewport.setAttribute("aria-busy", String(runBusy || Boolean(preview)));
  }

  function valuesShown() {
    if (valuesChoice !== null) return valuesChoice;
    return (model?.nodes.filter((node) => node.kind === "tensor").length ?? 0) <= DENSE_GRAPH;
  }

  /** Each overlay's marks on root; one that has none and gets none is left alone. */
  function paintOverlays() {
    for (const overlay of overlays) {
      const state = states.get(overlay.name) ?? null;
      if (state !== null) {
        overlay.apply(root, model, state, { values: valuesShown() });
        shown.add(overlay);
      } else if (shown.has(overlay)) {
        overlay.clear(root);
        shown.delete(overlay);
      }
    }
    placeLabels();
  }

  /** The overlays' labels apart and inside what the view shows (label-layout.js). */
  function placeLabels() {
    if (!root || !shown.size) return;
    placedFor = panZoom.visibleBox();
    separateLabels(root, { margin: FIT_MARGIN, visible: placedFor });
  }

  /** Place the labels again if the view moved since they were placed (not during a gesture). */
  function followView() {
    const now = panZoom.visibleBox();
    if (placedFor && !panZoom.busy && ["x", "y", "w", "h"].some((side) => now[side] !== placedFor[side])) placeLabels();
  }

  // --- tracing, selection, line matches -----------------------------------------------------
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
    for (const overlay of shown) overlay.trace?.(root, ids);
  }

  function select(id, { emit = false } = {}) {
    selected = id && model?.hasNode(id) ? id : null;
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

  /** Open the folded module `id` (focusing the first node it showed, with `focus`), else select node `id`. */
  function activate(id, { focus = false } = {}) {
    const node = model?.node(id);
    if (node?.kind === "group" && fold?.open(id)) {
      if (focus) groupOf(node.members.find((member) => groupOf(member)) ?? null)?.focus({ preventScroll: false });
      return;
    }
    select(id, { emit: true });
  }

  /** The group that shows node or edge `id`: its own, or the folded module's it is in. */
  function groupOf(id) {
    return groups.get(id) ?? (model?.shownAs && id ? groups.get(model.shownAs(id)) : undefined);
  }

  /** Trace the lineage of the node `group` (null: none); nothing to do if it is already shown. */
  function hover(group) {
    const id = group && model ? group.id : null;
    if (id === hoverId) return;
    hoverId = id;
    hoverIds = id === null ? null : model.lineage(id);
    spotlight();
  }

  /** Trace `group` (null: none) now, or in a large drawing once the pointer has rested there. */
  function hoverAtRest(group) {
    clearTimeout(traceTimer);
    if ((model?.nodes.length ?? 0) < TRACE_REST_FROM) hover(group);
    else traceTimer = setTimeout(() => panZoom.busy || hover(group), TRACE_REST_MS);
  }

  function trace(event) {
    ensureTitle(event.target.closest?.("g.node, g.edge"));
    if (!panZoom.busy) hoverAtRest(event.target.closest?.("g.node") ?? null);
  }

  function untrace() {
    if (!panZoom.busy) hoverAtRest(null);
  }

  on(viewport, "pointerdown", (event) => (pressedAt = { x: event.clientX, y: event.clientY }));
  on(stage, "pointerover", trace);
  on(stage, "pointerleave", untrace);
  on(stage, "focusin", (event) => {
    const group = event.target.closest?.("g.node");
    nameNow(group);
    trace(event);
    if (group) panZoom.reveal(group);
    followView();
  });
  on(stage, "focusout", untrace);
  on(viewport, "keydown", (event) => {
    if (moveFocusAlongEdges(event, model, (id) => groups.get(id))) return;
    const node = event.target.closest?.("g.node");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(node.id, { focus: true });
    } else if (event.key === "Escape" && selected) {
      select(null, { emit: true });
    }
    followView(); // after pan-zoom's keys (+, -, 0, Shift+arrows), which it heard first
  });

  fold?.bind("change", () => {
    if (!full) return;
    model = fold.view(full);
    draw();
  });

  return {
    bind: events.bind,
    /** Show a graph model (graph-model.js); keeps the selection when the node still exists. */
    render(nextModel) {
      full = nextModel ?? createGraphModel(null);
      model = fold ? fold.view(full) : full;
      if (!model.hasNode(selected)) selected = null;
      hoverId = null;
      hoverIds = null;
      lineIds = null;
      states = new Map();
      draw();
    },
    /** Re-read the strings after a language switch, keeping the view's state. */
    relabel() {
      if (!root) return;
      if (mode === "computation" || model.folded) {
        draw(); // its node texts are drawn in the current language
        return;
      }
      label();
      paintOverlays();
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
    zoomBy(factor) {
      panZoom.zoomBy(factor);
      followView();
    },
    fit: panZoom.fit,
    centerOn: panZoom.centerOn,
    zoom: panZoom.zoom,
    /** Whether a drag, pinch or wheel zoom is under way. */
    get busy() {
      return panZoom.busy;
    },
    visibleBox: panZoom.visibleBox,
    extent: panZoom.extent,
    /** The id of the node drawn for `id`: its own, or the folded module's that shows it. */
    shownId: (id) => groupOf(id)?.id ?? null,
    /** Fit the nodes `ids` (null: the whole drawing); "fit" keeps to them until the next drawing. */
    fitNodes: (ids) => panZoom.fitElements(ids && [...ids].map((id) => groupOf(id)).filter(Boolean)),
    /** Pan just enough to show node `id`, leaving the focus where it is. */
    revealNode: (id) => groupOf(id) && panZoom.reveal(groupOf(id)),
    naturalSize: panZoom.naturalSize,
    /** Give the viewport the height the drawing needs at its width, within [min, max] px. */
    sizeToContent({ min, max, maxZoom }) {
      const width = viewport.clientWidth || 600;
      const height = Math.round(Math.min(max, Math.max(min, panZoom.fitHeight(width, maxZoom))));
      viewport.style.setProperty("--graph-height", `${height}px`);
    },
    setBusy(flag) {
      runBusy = Boolean(flag);
      markBusy();
    },
    select: (id) => select(id),
    /** Pan so that node `id` is in view (no focus change); the labels follow what it shows. */
    reveal(id) {
      const group = groupOf(id);
      if (!group?.classList.contains("node")) return;
      panZoom.reveal(group);
      followView();
    },
    /** Show or hide each tensor's value and .grad on the graph (overlays redraw). */
    setValues(visible) {
      valuesChoice = Boolean(visible);
      if (root) paintOverlays();
      spotlight();
      events.emit("values", valuesShown());
    },
    get valuesShown() {
      return valuesShown();
    },
    focusNode(id) {
      const group = groupOf(id);
      if (!group?.classList.contains("node")) return;
      panZoom.reveal(group);
      group.focus({ preventScroll: true });
    },
    /** Light up the nodes created on a source line (from the editor); returns how many. */
    highlightLine(line) {
      const ids = line && model ? model.nodesOnLine(line).map((node) => node.id) : [];
      lineIds = ids.length ? new Set(ids) : null;
      spotlight();
      return ids.length;
    },
    /** Give the overlay called `name` its state (for the stepper's: stepper.overlayAt), or null for none. */
    showOverlay(name, state) {
      states.set(name, state);
      if (!root) return;
      paintOverlays();
      spotlight();
    },
    /** The current picture as standalone SVG text (what the export buttons save): as on screen,
     * with its overlays (values, the step's marks) and in the page's language. */
    svgText() {
      if (!model?.source || !root) return null;
      return standaloneSvg(root);
    },
  };
}
