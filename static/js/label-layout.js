// Keep the overlay's labels (the gradient on each edge, the .grad badge on each leaf, the value
// card beside each tensor) apart from each other and from the nodes, and inside what the
// viewport shows: each is moved, in the order that matters most (the edges the current step
// runs, then the cards and badges, then the rest), to the first of a few places near its edge or
// node that is free. An overlay draws its labels where it likes (step-overlay.js); this only
// moves them, by a transform on each label's group.
//
// Where there is truly no room (a phone's view of a wide graph, every place near the edge
// taken), the label folds into a marker: a small box on its edge (or beside its node) that reads
// its first word and "…" ("∂…", "= …"), in the label's colours. Its full text stays in its
// <title> (the tooltip: a marker, unlike a label, takes the pointer) and in the inspector of
// the edge's nodes. A marker too is placed where it covers nothing; only when even that fails
// does it take the least crowded place. Each placing starts from the labels as drawn: a marker
// unfolds again when a later placing (a new fit, the end of a pan) finds it room.
//
// The room is what the viewport shows now (`visible`), else the drawing's viewBox grown by
// `margin`. A label drawn wholly outside that room (its edge or node is off screen, the user
// zoomed in) is left where it was drawn, as its edge is. After the view moves (a fit, a pan
// that follows the running node, the end of a drag) the graph view places the labels again.
//
// A label is a <g> in the overlay layer (.agv-overlay) with a <rect> and data-edge or data-node.
// Everything is read in the coordinates of the drawing's main group, where nodes, edges and the
// layer all live. Large drawings are left alone: their labels are read zoomed in, and placing
// thousands of them would cost more than a step should.

import { svg } from "./dom.js";

const MAX_LABELS = 600; // a 300-node graph with its value cards has about 500
const GAP = 3; // room kept between a label and what it avoids
const CELL = 64; // the side of the buckets obstacles are filed in
// How far a crowded label may go from its first place: steps of STEP_ACROSS units sideways and
// of half its height up or down, no farther than NEAR units (so it still reads as its edge's).
const STEP_ACROSS = 10;
const STEPS_ACROSS = 8;
const STEPS_UP = 8;
const NEAR = 70;
const FREE = 0.5; // an overlap under this many square units is float noise, not an overlap
const SHARES = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]; // where along its edge a label or marker may sit
const MARKER_FONT = 9;
const FOLDED = "data-unfolded"; // on a marker: its rect's x y width height as drawn

/** Rectangles filed in a grid of buckets: what overlaps a rectangle is found without a full scan. */
function createIndex() {
  const cells = new Map(); // i * ROW + j -> the rectangles that reach cell (i, j)
  const ROW = 1 << 16;
  let visit = 0; // each query marks what it counted with its own number: no set to allocate
  const each = (box, action) => {
    for (let i = Math.floor(box.x / CELL); i <= Math.floor((box.x + box.w) / CELL); i += 1) {
      for (let j = Math.floor(box.y / CELL); j <= Math.floor((box.y + box.h) / CELL); j += 1) action(i * ROW + j);
    }
  };
  return {
    add(box) {
      each(box, (key) => {
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(box);
      });
    },
    /**
     * The area of `box` covered by filed rectangles (each counted once), weighted by theirs;
     * counting stops once it reaches `enough`.
     */
    overlap(box, enough = Infinity) {
      let total = 0;
      visit += 1;
      each(box, (key) => {
        if (total >= enough) return;
        for (const other of cells.get(key) ?? []) {
          if (other.visit === visit) continue;
          other.visit = visit;
          total += other.weight * area(box, other);
        }
      });
      return total;
    },
  };
}

function area(a, b) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

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
        const far = Math.hypot(i * STEP_ACROSS, 1.5 * j * down);
        if ((i || j) && far <= NEAR * 1.5) places.push({ offset: [i * STEP_ACROSS, j * down], far });
      }
    }
    grids.set(height, places.sort((a, b) => a.far - b.far).map((place) => place.offset));
  }
  return grids.get(height);
}

/** Where a marker of `size` could go: on its edge, beside it, beside its node, or near. */
function* markerPlaces(label, size, root, along) {
  for (const point of along(label, SHARES)) yield { x: point.x - size.w / 2, y: point.y - size.h / 2 };
  for (const point of along(label, SHARES)) {
    yield { x: point.x + 3, y: point.y - size.h / 2 };
    yield { x: point.x - 3 - size.w, y: point.y - size.h / 2 };
  }
  const beside = besideNode(label, root, size);
  yield* beside;
  const [middle] = along(label, [0.5]);
  const first = middle ? { x: middle.x - size.w / 2, y: middle.y - size.h / 2 } : beside[0];
  if (first) yield* farther({ ...size, ...first });
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

/** A marker unfolded back into the label it was drawn as. */
function unfold(label) {
  const rect = label.querySelector("rect");
  const [x, y, width, height] = label.getAttribute(FOLDED).split(" ");
  Object.entries({ x, y, width, height }).forEach(([name, value]) => rect.setAttribute(name, value));
  label.querySelector(".label-marker")?.remove();
  for (const line of label.querySelectorAll("text")) line.removeAttribute("display");
  label.classList.remove("is-marker");
  label.removeAttribute(FOLDED);
}

/** Fold `label` into a marker of `size` reading `text`. */
function fold(label, size, text) {
  const rect = label.querySelector("rect");
  label.setAttribute(FOLDED, ["x", "y", "width", "height"].map((name) => rect.getAttribute(name)).join(" "));
  for (const line of label.querySelectorAll("text")) line.setAttribute("display", "none");
  rect.setAttribute("width", size.w);
  rect.setAttribute("height", size.h);
  label.classList.add("is-marker");
  const y = size.y + size.h / 2 + MARKER_FONT * 0.35;
  label.append(svg("text", { class: "label-marker", x: size.x + 4, y, "font-size": MARKER_FONT }, text));
}

/** A marker's text: the first word of the label ("∂", "=", ".grad"), then "…". */
function markerText(label) {
  return `${(label.querySelector("text")?.textContent ?? "").trim().split(/\s+/)[0].slice(0, 5)}…`;
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
    if (label.hasAttribute(FOLDED)) unfold(label);
    label.removeAttribute("display");
  }
  const graph = layer.parentNode;
  const room = roomIn(root, graph, margin, visible);
  const along = createEdgePoints(root);

  // Reads first, writes last: no layout between them.
  const obstacles = createIndex();
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
      const text = markerText(label);
      const small = { x: size.x, y: size.y, w: text.length * MARKER_FONT * 0.62 + 8, h: MARKER_FONT + 6 };
      ({ box, cost } = bestOf(markerPlaces(label, small, root, along), small, obstacles, room));
      marker = { size: small, text };
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
    if (marker) fold(label, marker.size, marker.text);
    if (Math.abs(dx) > 0.01 || Math.abs(dy) > 0.01) label.setAttribute("transform", `translate(${dx.toFixed(1)} ${dy.toFixed(1)})`);
    else label.removeAttribute("transform");
  }
}
