// The backward stepper's overlay, the first of the graph view's overlays: draws the stepper's
// state (stepper.overlayAt) onto a graph SVG: classes on the running node (also `is-raised` on
// the node a failed pass stopped at), the nodes already run and the edges gradients flowed
// along (the running node's edges in, `is-incoming`, and out, `is-flowing`), a "∂ value" label
// on each such edge; and beside each tensor node its value and .grad as of the stepper's
// position (option `values`; without it, a ".grad" badge above each leaf the pass reached).
// Works on both views: it only needs ids and <path>s.
//
// An overlay, as graph-view.js takes them: apply(root, model, state) draws `state` on `root` (the
// view's <svg>) in place of what it drew before; clear(root) takes it all away; trace(root, ids)
// dims its own marks outside the traced lineage (ids: node and edge ids, or null for none).

import { $$, svg } from "./dom.js";
import { t } from "./i18n.js";
import { gradAt, valueAt } from "./stepper.js";
import { textWidth } from "./text-width.js";
import { shortValue } from "./value-text.js";

const LABEL_FONT = 9;
const STATE_CLASSES = ["is-running", "is-raised", "is-done", "is-flowing", "is-incoming", "has-grad", "is-root-active"];
// Only the groups that carry a state: a drawing can have 10,000 groups, nearly all without one.
const STATE_GROUPS = `:is(g.node, g.edge):is(${STATE_CLASSES.map((name) => `.${name}`).join(", ")})`;

/** A tensor value as a short label: "tensor([2., 4.])" -> "[2., 4.]". */
export function compactValue(value, max = 26) {
  if (!value) return "None";
  let text = value.text.replace(/,\s*(grad_fn|requires_grad|dtype)=[^)]*\)?/g, "");
  text = text.replace(/^tensor\(/, "").replace(/\)$/, "").replace(/\s+/g, " ").trim();
  text = text.replace(/\[ /g, "[").replace(/ \]/g, "]");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function cardSize(lines) {
  // Chinese words (the zh labels) are a full em each: counted as 0.62 em, they overflowed.
  const width = Math.max(...lines.map((line) => textWidth(line, LABEL_FONT, 0.62))) + 8;
  return { width, height: lines.length * (LABEL_FONT + 2) + 5 };
}

function labelBox(x, y, lines, className, anchor = "start") {
  const { width, height } = cardSize(lines);
  const left = anchor === "middle" ? x - width / 2 : anchor === "end" ? x - width : x;
  return svg(
    "g",
    { class: className },
    svg("rect", { x: left, y: y - height / 2, width, height, rx: 3 }),
    ...lines.map((line, i) =>
      svg("text", { x: left + 4, y: y - height / 2 + 1 + (i + 1) * (LABEL_FONT + 2), "font-size": LABEL_FONT }, line),
    ),
  );
}

function edgeLabel(path, value, current, incoming, before) {
  const length = path.getTotalLength();
  const mid = path.getPointAtLength(length / 2);
  // On the outer side of the edge, so inputs converging on one node keep their labels apart.
  const rightward = path.getPointAtLength(length).x - path.getPointAtLength(0).x > 3;
  return labelBox(
    rightward ? mid.x - 5 : mid.x + 5,
    mid.y,
    // A hook of the program's changed the gradient on this edge: what arrived, under it.
    before ? [`∂ ${compactValue(value)}`, t("hook.before", { value: compactValue(before) })] : [`∂ ${compactValue(value)}`],
    `grad-label${current ? " is-current" : ""}${incoming ? " is-incoming" : ""}${before ? " has-hook" : ""}`,
    rightward ? "end" : "start",
  );
}

function leafBadge(box, entry) {
  const prefix = entry.previous ? t("stepper.grad_before", { pass: entry.pass + 1 }) : ".grad";
  // Above the leaf: a leaf has no inputs, so nothing else is drawn there.
  return labelBox(
    box.x + box.width / 2,
    box.y - 2 * LABEL_FONT,
    [prefix, compactValue(entry.value, 14)],
    `grad-badge${entry.previous ? " is-previous" : ""}${entry.fresh ? " is-fresh" : ""}`,
    "middle",
  );
}

/** The lines of a tensor node's card: its value, then its .grad (or the gradient through it). */
function cardLines(node, { value, atEnd }, grad, flow) {
  const kept = (node.is_leaf && node.requires_grad) || node.retains_grad;
  const lines = [`= ${shortValue(value, { shape: false })}${atEnd ? ` ${t("values.at_end")}` : ""}`];
  // A leaf's (or retained) .grad; through any other tensor, the gradient that flowed (.grad stays None).
  if (kept) lines.push(`.grad ${grad ? shortValue(grad.value, { shape: false }) : "None"}`);
  else if (flow) lines.push(`∂ ${shortValue(flow.value, { shape: false })}`);
  return { lines, fresh: kept ? grad?.fresh : flow?.fresh };
}

const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a, b) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
const GAP = 5; // past the outline of a node drawn thick (selected, running)

/** Where a card of `size` may go beside `box`: right (where no edge ends), left, below, above. */
function places(box, size) {
  const middle = box.y + (box.height - size.height) / 2;
  const centre = box.x + (box.width - size.width) / 2;
  return [
    { x: box.x + box.width + GAP, y: middle, ...size },
    { x: box.x - GAP - size.width, y: middle, ...size },
    { x: centre, y: box.y + box.height + GAP, ...size },
    { x: centre, y: box.y - GAP - size.height, ...size },
  ];
}

/**
 * Each tensor node's value and .grad in a card beside it, at the first place that covers no
 * other node or card and stays inside the drawing (else the first that covers nothing, else
 * on its right).
 */
function valueCards(model, overlay, find, drawing) {
  const boxes = [];
  for (const node of model.nodes) {
    const group = find(node.id);
    if (group) boxes.push({ node, box: group.getBBox() });
  }
  const taken = boxes.map(({ box }) => box);
  const cards = [];
  for (const { node, box } of boxes) {
    if (node.kind !== "tensor") continue;
    const grad = gradAt(model, overlay, node);
    const value = valueAt(model, overlay, node);
    const { lines, fresh } = cardLines(node, value, grad, overlay.flowGrads?.get(node.id));
    const options = places(box, cardSize(lines));
    const free = options.filter((place) => !taken.some((other) => other !== box && overlaps(place, other)));
    const place = free.find((option) => !drawing || inside(option, drawing)) ?? free[0] ?? options[0];
    taken.push(place);
    const card = labelBox(place.x, place.y + place.height / 2, lines, `value-card${fresh ? " is-fresh" : ""}`);
    card.dataset.node = node.id;
    card.setAttribute("data-testid", "value-card");
    card.append(svg("title", {}, `${value.value?.text ?? ""}\n.grad = ${grad ? grad.value.text : "None"}`));
    cards.push(card);
  }
  return cards;
}

/** Replace the overlay on `root` by the one for `overlay` (stepper.overlayAt), or clear it. */
function drawStepOverlay(root, model, overlay, { values = false } = {}) {
  root.querySelector(".agv-overlay")?.remove();
  for (const group of $$(STATE_GROUPS, root)) group.classList.remove(...STATE_CLASSES);
  if (!overlay) return;
  // The layer joins the drawing last: each label needs the drawing's geometry (getTotalLength,
  // getBBox), and a layer already in the drawing would make every read lay it out again.
  const layer = svg("g", { class: "agv-overlay", "aria-hidden": "true" });
  // The document's id map, not a search; a node folded into a module (module-fold.js) is found
  // as that module; a group another overlay hides (another iteration's) gets no label.
  // (Chromium's checkVisibility() says true for an SVG group with display: none.)
  const find = (id) => {
    const group =
      root.getElementById(id) ?? (model?.shownAs && id ? root.getElementById(model.shownAs(id)) : null);
    return group && getComputedStyle(group).display === "none" ? null : group;
  };

  const states = []; // [group, class], applied after the reads so none of them restyles
  if (values) {
    const drawing = (root.querySelector("g.graph") ?? root).getBBox();
    layer.append(...valueCards(model, overlay, find, drawing));
  }
  const stepping = overlay.engaged && overlay.pass;
  for (const [edgeId, value] of stepping ? overlay.edgeGrads : []) {
    const group = find(edgeId);
    const path = group?.querySelector("path");
    if (!path) continue;
    const incoming = overlay.incoming?.has(edgeId) ?? false;
    const current = !incoming && (overlay.outgoing?.has(edgeId) ?? overlay.flowing.has(edgeId));
    states.push([group, incoming ? "is-incoming" : current ? "is-flowing" : "has-grad"]);
    const before = model.edge(edgeId)?.grads.find((g) => g.backward_pass === overlay.pass.index)?.before ?? null;
    const label = edgeLabel(path, value, current, incoming, before);
    label.dataset.edge = edgeId;
    label.append(svg("title", {}, before ? `${value.text}\n${t("hook.before", { value: before.text })}` : value.text));
    layer.append(label);
  }
  for (const [nodeId, entry] of stepping && !values ? overlay.leafGrads : []) {
    const group = find(nodeId);
    if (!group) continue;
    const badge = leafBadge(group.getBBox(), entry);
    badge.dataset.node = nodeId;
    badge.append(svg("title", {}, entry.value ? entry.value.text : "None"));
    layer.append(badge);
  }
  if (stepping) {
    for (const id of overlay.done) states.push([find(id), "is-done"]);
    for (const id of overlay.roots) states.push([find(id), "is-root-active"]);
    if (overlay.running) states.push([find(overlay.running), "is-running"]);
    if (overlay.raised) states.push([find(overlay.raised), "is-raised"]);
  }
  for (const [group, className] of states) group?.classList.add(className);
  (root.querySelector("g.graph") ?? root).append(layer);
}

export function createStepOverlay() {
  return {
    name: "step",
    apply: (root, model, state, options) => drawStepOverlay(root, model, state, options),
    clear: (root) => drawStepOverlay(root, null, null),
    trace(root, ids) {
      for (const mark of $$(".agv-overlay > g", root)) {
        mark.classList.toggle("is-lineage", Boolean(ids?.has(mark.dataset.edge ?? mark.dataset.node)));
      }
    },
  };
}
