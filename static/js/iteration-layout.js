// A compact layout for the part of a drawing one iteration shows (iterations.js). The whole
// graph's layout spreads a long loop's iterations side by side (400 iterations: 170,000 px
// wide), and one iteration's nodes with them: the node that adds a parameter sits next to that
// parameter, far from the rest of its iteration. So the shown nodes are laid out again, in
// layers (a node one layer below its lowest input, in the drawing's left-to-right order within a
// layer), by moving the elements of each node group (a transform on each child, so the group's
// getBBox, which the stepper's badges read, follows) and redrawing each shown edge as a curve
// with its arrowhead. restore() puts everything back as it was drawn.

const GAP_X = 24;
const GAP_Y = 46;
const ARROW = 8;

const MOVED = "data-iter-transform"; // a moved element's own transform before the move ("" for none)

function moveChildren(group, dx, dy) {
  for (const child of group.children) {
    if (child.localName === "title") continue;
    if (!child.hasAttribute(MOVED)) child.setAttribute(MOVED, child.getAttribute("transform") ?? "");
    child.setAttribute("transform", `translate(${dx} ${dy}) ${child.getAttribute(MOVED)}`.trim());
  }
}

/** Put back what layOut() moved inside `root`. */
export function restore(root) {
  for (const element of root.querySelectorAll(`[${MOVED}]`)) {
    const before = element.getAttribute(MOVED);
    if (before) element.setAttribute("transform", before);
    else element.removeAttribute("transform");
    element.removeAttribute(MOVED);
  }
  for (const element of root.querySelectorAll("[data-iter-d]")) {
    element.setAttribute("d", element.getAttribute("data-iter-d"));
    element.removeAttribute("data-iter-d");
  }
  for (const element of root.querySelectorAll("[data-iter-points]")) {
    element.setAttribute("points", element.getAttribute("data-iter-points"));
    element.removeAttribute("data-iter-points");
  }
}

/** Each node's layer: 0 without shown inputs, else one below its lowest input. */
function layers(ids, edges) {
  const inputs = new Map([...ids].map((id) => [id, []]));
  for (const { source, target } of edges) if (inputs.has(source) && inputs.has(target) && source !== target) inputs.get(target).push(source);
  const layer = new Map();
  const visiting = new Set();
  const depth = (id) => {
    if (layer.has(id)) return layer.get(id);
    if (visiting.has(id)) return 0; // not expected in an autograd graph; never loop
    visiting.add(id);
    const value = Math.max(-1, ...inputs.get(id).map(depth)) + 1;
    visiting.delete(id);
    layer.set(id, value);
    return value;
  };
  for (const id of ids) depth(id);
  return layer;
}

/**
 * Lay out the node groups `nodes` (id -> <g>) and redraw the edge groups `edges`
 * ([{group, source, target}]) of one drawing, in its own coordinates.
 */
export function layOut(nodes, edges) {
  const boxes = new Map();
  for (const [id, group] of nodes) {
    const box = group.getBBox();
    boxes.set(id, { x: box.x, y: box.y, w: box.width, h: box.height });
  }
  const layer = layers([...boxes.keys()], edges);
  const rows = [];
  for (const [id, at] of layer) (rows[at] ??= []).push(id);
  const placed = new Map(); // id -> new box
  const widths = rows.map((row) => row.reduce((sum, id) => sum + boxes.get(id).w, 0) + GAP_X * (row.length - 1));
  const widest = Math.max(0, ...widths);
  const first = [...boxes.values()].reduce((low, box) => ({ x: Math.min(low.x, box.x), y: Math.min(low.y, box.y) }), { x: Infinity, y: Infinity });
  let y = first.y;
  rows.forEach((row, r) => {
    row.sort((a, b) => boxes.get(a).x - boxes.get(b).x);
    let x = first.x + (widest - widths[r]) / 2;
    const height = Math.max(...row.map((id) => boxes.get(id).h));
    for (const id of row) {
      const box = boxes.get(id);
      const next = { x, y: y + (height - box.h) / 2, w: box.w, h: box.h };
      placed.set(id, next);
      moveChildren(nodes.get(id), next.x - box.x, next.y - box.y);
      x += box.w + GAP_X;
    }
    y += height + GAP_Y;
  });
  for (const { group, source, target } of edges) {
    const from = placed.get(source);
    const to = placed.get(target);
    if (!from || !to) continue;
    const sx = from.x + from.w / 2;
    const sy = from.y + from.h;
    const tx = to.x + to.w / 2;
    const ty = to.y;
    const mid = (sy + ty - ARROW) / 2;
    for (const path of group.querySelectorAll("path")) {
      if (!path.hasAttribute("data-iter-d")) path.setAttribute("data-iter-d", path.getAttribute("d") ?? "");
      path.setAttribute("d", `M${sx},${sy}C${sx},${mid} ${tx},${mid} ${tx},${ty - ARROW}`);
    }
    for (const head of group.querySelectorAll("polygon")) {
      if (!head.hasAttribute("data-iter-points")) head.setAttribute("data-iter-points", head.getAttribute("points") ?? "");
      head.setAttribute("points", `${tx - 3.5},${ty - ARROW} ${tx + 3.5},${ty - ARROW} ${tx},${ty}`);
    }
    for (const text of group.querySelectorAll("text")) {
      const box = text.getBBox();
      if (!text.hasAttribute(MOVED)) text.setAttribute(MOVED, text.getAttribute("transform") ?? "");
      const dx = (sx + tx) / 2 + 4 - box.x;
      const dy = mid - box.y - box.height / 2;
      text.setAttribute("transform", `translate(${dx} ${dy}) ${text.getAttribute(MOVED)}`.trim());
    }
  }
}
