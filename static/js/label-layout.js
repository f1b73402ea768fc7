// Keep the overlay's labels (the gradient on each edge, the .grad badge on each leaf, the value
// card beside each tensor) apart from each other and from the nodes, and inside what the
// viewport shows: each is moved, in the order that matters most (the gradients into and out of
// the running node, then the cards and badges, then the rest), to the first free place of a
// few near its edge or node (along the edge, beside the node, then a grid around its first
// place, never farther than NEAR). An overlay draws its labels where it likes (step-overlay.js);
// this only moves them, by a transform on each label's group.
//
// Where there is truly no room (a phone's view of a wide graph, every place near the edge
// taken), the label folds into a marker (label-marker.js): a small box on its edge or beside its
// node, in the label's colours, reading its first word and "…" ("∂…"). Its full text stays in
// its <title>, which a marker shows as its tooltip, and in the inspector of the edge's nodes.
// A marker too goes only where it covers nothing; if even a marker finds no free place, the
// label is left out (display="none"): a label on another cannot be read either, and the
// labels that matter most were placed first. Each placing starts from the labels as drawn, so
// a marker unfolds, and a left-out label comes back, once a later placing finds them room.
//
// The room is what the viewport shows now (`visible`), else the drawing's viewBox grown by
// `margin`. A label whose edge or node is wholly outside it (the user zoomed in) is left where
// it was drawn, off screen with its edge. The graph view places the labels again whenever what
// it shows changes: a new drawing or step, a fit, a pan that follows the running node, the end
// of a drag.
//
// A label is a <g> in the overlay layer (.agv-overlay) with a <rect> and data-edge or data-node.
// Everything is read in the coordinates of the drawing's main group, where nodes, edges and the
// layer all live. Large drawings are left alone: their labels are read zoomed in, and placing
// thousands of them would cost more than a step should. Measured by hand on a phone's view of
// a crowded 274-node graph (364-410 labels, 17-25 of them folded): 22-31 ms on a busy 2-core
// machine; a 293-node chain's 487 labels, under 10 ms.

import { area, createBoxIndex } from "./box-index.js";
import { fold, markerOf, unfold } from "./label-marker.js";

const MAX_LABELS = 600; // a 300-node graph with its value cards has about 500
const GAP = 3; // room kept between a label and what it avoids
// How far a crowded label may go from its first place: steps of STEP_ACROSS units sideways and
// of half its height up or down, no farther than NEAR units (so it still reads as its edge's).
const STEP_ACROSS = 10;
const STEPS_ACROSS = 8;
const STEPS_UP = 8;
const NEAR = 80;
const FREE = 0.5; // an overlap under this many square units is float noise, not an overlap
const SHARES = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]; // where along its edge a label or marker may sit
const FINE = Array.from({ length: 19 }, (_, i) => (i + 1) / 20); // where a marker may sit, last

const boxOf = (bbox) => ({ x: bbox.x, y: bbox.y, w: bbox.width, h: bbox.height });
const grown = (box, by, weight = 1) => ({ x: box.x - by, y: box.y - by, w: box.w + 2 * by, h: box.h + 2 * by, weight });

/**
 * The points along each label's edge at given shares of its length, measured when first asked
 * for (each measure walks the path: the dearest read here) and kept for the rest of a placing.
 */
function createEdgePoints(root) {
  const lengths = new Map(); // edge id -> [its path, its length]
  const points = new Map(); // "id share" -> point
  return function* along(label, shares) {
    const id = label.dataset.edge;
    if (!id) return;
    if (!lengths.has(id)) {
      const path = root.getElementById(id)?.querySelector("path");
      lengths.set(id, path ? [path, path.getTotalLength()] : null);
    }
    const found = lengths.get(id);
    if (!found) return;
    for (const share of shares) {
      const key = `${id} ${share}`;
      if (!points.has(key)) points.set(key, found[0].getPointAtLength(found[1] * share));
      yield points.get(key);
    }
  };
}

/** Places beside a node's box for a label of size `size`: right, left, above, below. */
function besideNode(label, root, size) {
  const node = label.dataset.node && root.getElementById(label.dataset.node);
  if (!node) return [];
  const box = node.getBBox();
  const middle = box.y + box.height / 2 - size.h / 2;
  const right = box.x + box.width + GAP;
  const left = box.x - GAP - size.w;
  const above = box.y - size.h - GAP;
  const below = box.y + box.height + GAP;
  const centre = box.x + box.width / 2 - size.w / 2;
  return [
    { x: right, y: middle },
    { x: left, y: middle },
    { x: centre, y: above },
    { x: right, y: above },
    { x: left, y: above },
    { x: centre, y: below },
    { x: right, y: below },
    { x: left, y: below },
  ];
}

/** Where a label could go, its current place first: {x, y} of its top-left corner, made as asked for. */
function* candidates(label, size, root, along) {
  yield { x: size.x, y: size.y };
  for (const point of along(label, SHARES)) {
    const y = point.y - size.h / 2;
    yield { x: point.x + 5, y };
    yield { x: point.x - 5 - size.w, y };
  }
  yield* besideNode(label, root, size);
  yield* farther(size);
}

/**
 * Where a crowded label may go last: a grid of places around its first one, nearest first (a
 * step sideways costs less than one up or down, where the next layer of the drawing is).
 */
function* farther(size) {
  for (const [dx, dy] of offsets(size.h)) yield { x: size.x + dx, y: size.y + dy };
}

const grids = new Map(); // a label's height -> its grid's offsets, nearest first
function offsets(height) {
  if (!grids.has(height)) {
    const down = height / 2 + GAP;
    const places = [];
    for (let i = -STEPS_ACROSS; i <= STEPS_ACROSS; i += 1) {
      for (let j = -STEPS_UP; j <= STEPS_UP; j += 1) {
        // Nearest first, a step up or down counted half as far again as one sideways.
        const far = Math.hypot(i * STEP_ACROSS, 1.5 * j * down);
        if ((i || j) && Math.hypot(i * STEP_ACROSS, j * down) <= NEAR) places.push({ offset: [i * STEP_ACROSS, j * down], far });
      }
    }
    grids.set(height, places.sort((a, b) => a.far - b.far).map((place) => place.offset));
  }
  return grids.get(height);
}

/** Where a marker of `size` could go: on its edge, beside it, beside its node, or near. */
function* markerPlaces(label, size, root, along, room) {
  for (const point of along(label, SHARES)) yield { x: point.x - size.w / 2, y: point.y - size.h / 2 };
  for (const point of along(label, SHARES)) {
    yield { x: point.x + 3, y: point.y - size.h / 2 };
    yield { x: point.x - 3 - size.w, y: point.y - size.h / 2 };
  }
  const beside = besideNode(label, root, size);
  yield* beside;
  const [middle] = along(label, [0.5]);
  const first = middle ? { x: middle.x - size.w / 2, y: middle.y - size.h / 2 } : beside[0];
  if (!first) return;
  yield* farther({ ...size, ...first });
  // Last, when the view shows only part of the edge or node (zoomed in): on what it shows.
  for (const point of along(label, FINE)) {
    if (area({ x: point.x - size.w / 2, y: point.y - size.h / 2, w: size.w, h: size.h }, room)) yield { x: point.x - size.w / 2, y: point.y - size.h / 2 };
  }
  const x = Math.min(Math.max(first.x, room.x), room.x + room.w - size.w);
  const y = Math.min(Math.max(first.y, room.y), room.y + room.h - size.h);
  if (x !== first.x || y !== first.y) yield* farther({ ...size, x, y });
}

/** The room labels may use, in `graph`'s coordinates (see the header). */
function roomIn(root, graph, margin, visible) {
  const box = root.viewBox.baseVal;
  const shown = visible ?? { x: box.x - margin, y: box.y - margin, w: box.width + 2 * margin, h: box.height + 2 * margin };
  const matrix = graph.transform?.baseVal?.consolidate()?.matrix;
  const toGraph = matrix ? matrix.inverse() : new DOMMatrix();
  const a = new DOMPoint(shown.x, shown.y).matrixTransform(toGraph);
  const b = new DOMPoint(shown.x + shown.w, shown.y + shown.h).matrixTransform(toGraph);
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y), weight: 1 };
}

/** The free place for a box of `size` among `places` (cost 0), else the least crowded: {box, cost}. */
function bestOf(places, size, obstacles, room) {
  let best = null;
  let bestCost = Infinity;
  for (const place of places) {
    const box = { x: place.x, y: place.y, w: size.w, h: size.h };
    // Areas come from differences of floats: anything under FREE square units is no overlap.
    const out = 4 * (box.w * box.h - area(box, room));
    const raw = out + obstacles.overlap(box, bestCost - out);
    const cost = raw < FREE ? 0 : raw;
    if (cost < bestCost) {
      best = box;
      bestCost = cost;
      if (cost === 0) break;
    }
  }
  return { box: best, cost: bestCost };
}

/**
 * Move the overlay's labels on `root` apart, and inside the view's room: the part of the
 * drawing's plane the viewport shows (`visible`: {x, y, w, h} in viewBox coordinates), or
 * `margin` around the viewBox.
 */
export function separateLabels(root, { margin = 0, visible = null } = {}) {
  const layer = root?.querySelector(".agv-overlay");
  if (!layer) return;
  const labels = [...layer.children].filter((label) => label.querySelector("rect"));
  if (!labels.length || labels.length > MAX_LABELS) return;
  for (const label of labels) {
    unfold(label);
    label.removeAttribute("display");
  }
  const graph = layer.parentNode;
  const room = roomIn(root, graph, margin, visible);
  const along = createEdgePoints(root);

  // Reads first, writes last: no layout between them.
  const obstacles = createBoxIndex();
  for (const node of graph.querySelectorAll(":scope > g.node")) {
    const box = boxOf(node.getBBox());
    if (box.w && box.h) obstacles.add(grown(box, GAP, 2));
  }
  const rank = (label) => (label.classList.contains("is-current") || label.classList.contains("is-incoming") ? 0 : label.dataset.node ? 1 : 2);
  const ordered = labels.map((label, index) => ({ label, index })).sort((a, b) => rank(a.label) - rank(b.label) || a.index - b.index);
  const moves = [];
  for (const { label } of ordered) {
    const rect = label.querySelector("rect");
    const size = { x: Number(rect.getAttribute("x")), y: Number(rect.getAttribute("y")), w: Number(rect.getAttribute("width")), h: Number(rect.getAttribute("height")) };
    const subject = area(size, room) ? null : root.getElementById(label.dataset.edge ?? label.dataset.node);
    if (!area(size, room) && !(subject && area(boxOf(subject.getBBox()), room))) {
      moves.push({ label, dx: 0, dy: 0 }); // its edge or node is off screen: left where drawn
      continue;
    }
    let { box, cost } = bestOf(candidates(label, size, root, along), size, obstacles, room);
    let marker = null;
    if (cost > 0) {
      marker = markerOf(label);
      ({ box, cost } = bestOf(markerPlaces(label, marker.size, root, along, room), marker.size, obstacles, room));
    }
    if (!box || cost > 0) {
      moves.push({ label, out: true }); // no room even for a marker: see the header
      continue;
    }
    obstacles.add(grown(box, GAP / 2, 3));
    moves.push({ label, dx: box.x - size.x, dy: box.y - size.y, marker });
  }
  for (const { label, dx, dy, marker, out } of moves) {
    if (out) label.setAttribute("display", "none");
    if (marker) fold(label, marker);
    if (Math.abs(dx) > 0.01 || Math.abs(dy) > 0.01) label.setAttribute("transform", `translate(${dx.toFixed(1)} ${dy.toFixed(1)})`);
    else label.removeAttribute("transform");
  }
}
