// The backward stepper's overlay, the first of the graph view's overlays: draws the stepper's
// state (stepper.overlayAt) onto a graph SVG: classes on the running node (also `is-raised` on
// the node a failed pass stopped at), the nodes already run and the edges gradients flowed along, a "∂ value" label on each such edge, and a ".grad" badge
// above each leaf. Works on both views: it only needs ids and <path>s.
//
// An overlay, as graph-view.js takes them: apply(root, model, state) draws `state` on `root` (the
// view's <svg>) in place of what it drew before; clear(root) takes it all away; trace(root, ids)
// dims its own marks outside the traced lineage (ids: node and edge ids, or null for none).

import { $$, svg } from "./dom.js";
import { t } from "./i18n.js";

const LABEL_FONT = 9;
const STATE_CLASSES = ["is-running", "is-raised", "is-done", "is-flowing", "has-grad", "is-root-active"];
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

function labelBox(x, y, lines, className, anchor = "start") {
  const width = Math.max(...lines.map((line) => line.length)) * LABEL_FONT * 0.62 + 8;
  const height = lines.length * (LABEL_FONT + 2) + 5;
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

function edgeLabel(path, value, current) {
  const length = path.getTotalLength();
  const mid = path.getPointAtLength(length / 2);
  // On the outer side of the edge, so inputs converging on one node keep their labels apart.
  const rightward = path.getPointAtLength(length).x - path.getPointAtLength(0).x > 3;
  return labelBox(
    rightward ? mid.x - 5 : mid.x + 5,
    mid.y,
    [`∂ ${compactValue(value)}`],
    `grad-label${current ? " is-current" : ""}`,
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

/** Replace the overlay on `root` by the one for `overlay` (stepper.overlayAt), or clear it. */
function drawStepOverlay(root, overlay) {
  root.querySelector(".agv-overlay")?.remove();
  for (const group of $$(STATE_GROUPS, root)) group.classList.remove(...STATE_CLASSES);
  if (!overlay) return;
  // The layer joins the drawing last: each label needs the drawing's geometry (getTotalLength,
  // getBBox), and a layer already in the drawing would make every read lay it out again.
  const layer = svg("g", { class: "agv-overlay", "aria-hidden": "true" });
  const find = (id) => root.getElementById(id); // the document's id map, not a search

  const states = []; // [group, class], applied after the reads so none of them restyles
  for (const [edgeId, value] of overlay.edgeGrads) {
    const group = find(edgeId);
    const path = group?.querySelector("path");
    if (!path) continue;
    const current = overlay.flowing.has(edgeId);
    states.push([group, current ? "is-flowing" : "has-grad"]);
    const label = edgeLabel(path, value, current);
    label.dataset.edge = edgeId;
    label.append(svg("title", {}, value.text));
    layer.append(label);
  }
  for (const [nodeId, entry] of overlay.leafGrads) {
    const group = find(nodeId);
    if (!group) continue;
    const badge = leafBadge(group.getBBox(), entry);
    badge.dataset.node = nodeId;
    badge.append(svg("title", {}, entry.value ? entry.value.text : "None"));
    layer.append(badge);
  }
  for (const id of overlay.done) states.push([find(id), "is-done"]);
  for (const id of overlay.roots) states.push([find(id), "is-root-active"]);
  if (overlay.running) states.push([find(overlay.running), "is-running"]);
  if (overlay.raised) states.push([find(overlay.raised), "is-raised"]);
  for (const [group, className] of states) group?.classList.add(className);
  (root.querySelector("g.graph") ?? root).append(layer);
}

export function createStepOverlay() {
  return {
    name: "step",
    apply: (root, model, state) => drawStepOverlay(root, state),
    clear: (root) => drawStepOverlay(root, null),
    trace(root, ids) {
      for (const mark of $$(".agv-overlay > g", root)) {
        mark.classList.toggle("is-lineage", Boolean(ids?.has(mark.dataset.edge ?? mark.dataset.node)));
      }
    },
  };
}
