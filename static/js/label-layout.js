// Keep the overlay's labels (the gradient on each edge, the .grad badge on each leaf) apart from
// each other and from the nodes, and inside the room the view keeps around the drawing: each is
// moved, in the order that matters most (the edges the current step runs, then the badges, then
// the rest), to the first of a few places near its edge or leaf that is free, else to the least
// crowded one, and last pushed back inside. An overlay draws its labels where it likes
// (step-overlay.js); this only moves them, by a transform on each label's group.
//
// A label is a <g> in the overlay layer (.agv-overlay) with a <rect> and data-edge or data-node.
// Everything is read in the coordinates of the drawing's main group, where nodes, edges and the
// layer all live. Large drawings are left alone: their labels are read zoomed in, and placing
// thousands of them would cost more than a step should.

const MAX_LABELS = 400;
const GAP = 3; // room kept between a label and what it avoids
const CELL = 64; // the side of the buckets obstacles are filed in
// How far a crowded label may go from its first place: so many steps of STEP_ACROSS units
// sideways, and of half its height up or down.
const STEP_ACROSS = 10;
const STEPS_ACROSS = 10;
const STEPS_UP = 8;
const FREE = 0.5; // an overlap under this many square units is float noise, not an overlap

/** Rectangles filed in a grid of buckets: what overlaps a rectangle is found without a full scan. */
function createIndex() {
  const cells = new Map();
  const keys = (box) => {
    const found = [];
    for (let i = Math.floor(box.x / CELL); i <= Math.floor((box.x + box.w) / CELL); i += 1) {
      for (let j = Math.floor(box.y / CELL); j <= Math.floor((box.y + box.h) / CELL); j += 1) found.push(`${i},${j}`);
    }
    return found;
  };
  return {
    add(box) {
      for (const key of keys(box)) {
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(box);
      }
    },
    /** The area of `box` covered by filed rectangles (each counted once), weighted by theirs. */
    overlap(box) {
      let total = 0;
      const seen = new Set();
      for (const key of keys(box)) {
        for (const other of cells.get(key) ?? []) {
          if (seen.has(other)) continue;
          seen.add(other);
          total += other.weight * area(box, other);
        }
      }
      return total;
    },
  };
}

function area(a, b) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** How much of `box` lies outside `bounds`. */
function outside(box, bounds) {
  return box.w * box.h - area(box, bounds);
}

const boxOf = (bbox) => ({ x: bbox.x, y: bbox.y, w: bbox.width, h: bbox.height });
const grown = (box, by, weight = 1) => ({ x: box.x - by, y: box.y - by, w: box.w + 2 * by, h: box.h + 2 * by, weight });

/** Where a label could go, its current place first: {x, y} of its top-left corner, made as asked for. */
function* candidates(label, size, root) {
  yield { x: size.x, y: size.y };
  const edgeId = label.dataset.edge;
  if (edgeId) {
    const path = root.getElementById(edgeId)?.querySelector("path");
    if (path) {
      const length = path.getTotalLength();
      for (const share of [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]) {
        const point = path.getPointAtLength(length * share);
        const y = point.y - size.h / 2;
        yield { x: point.x + 5, y };
        yield { x: point.x - 5 - size.w, y };
      }
    }
  } else {
    const node = label.dataset.node && root.getElementById(label.dataset.node);
    if (node) {
      const box = node.getBBox();
      const middle = box.y + box.height / 2 - size.h / 2;
      const right = box.x + box.width + GAP;
      const left = box.x - GAP - size.w;
      const above = box.y - size.h - GAP;
      const below = box.y + box.height + GAP;
      yield* [
        { x: right, y: middle },
        { x: left, y: middle },
        { x: right, y: above },
        { x: left, y: above },
        { x: box.x + box.width / 2 - size.w / 2, y: below },
        { x: right, y: below },
        { x: left, y: below },
      ];
    }
  }
  yield* farther(size);
}

/**
 * Where a crowded label may go last: a grid of places around its first one, nearest first (a
 * step sideways costs less than one up or down, where the next layer of the drawing is).
 */
function farther(size) {
  const places = [];
  const down = size.h / 2 + GAP;
  for (let i = -STEPS_ACROSS; i <= STEPS_ACROSS; i += 1) {
    for (let j = -STEPS_UP; j <= STEPS_UP; j += 1) {
      if (i || j) places.push({ x: size.x + i * STEP_ACROSS, y: size.y + j * down, far: Math.hypot(i * STEP_ACROSS, 1.5 * j * down) });
    }
  }
  return places.sort((a, b) => a.far - b.far);
}

/**
 * The room labels may use, in `graph`'s coordinates: the drawing's viewBox grown by `margin`
 * (what "fit" shows), and all that the viewport shows now (`visible`, in viewBox coordinates),
 * which at fit is wider or taller than the drawing on one side.
 */
function roomIn(root, graph, margin, visible) {
  const box = root.viewBox.baseVal;
  let left = box.x - margin;
  let top = box.y - margin;
  let right = box.x + box.width + margin;
  let bottom = box.y + box.height + margin;
  if (visible) {
    left = Math.min(left, visible.x);
    top = Math.min(top, visible.y);
    right = Math.max(right, visible.x + visible.w);
    bottom = Math.max(bottom, visible.y + visible.h);
  }
  const matrix = graph.transform?.baseVal?.consolidate()?.matrix;
  const toGraph = matrix ? matrix.inverse() : new DOMMatrix();
  const a = new DOMPoint(left, top).matrixTransform(toGraph);
  const b = new DOMPoint(right, bottom).matrixTransform(toGraph);
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y), weight: 1 };
}

/**
 * Move the overlay's labels on `root` apart, and inside the view's room: `margin` around the
 * viewBox, and the part of the drawing's plane the viewport shows (`visible`: {x, y, w, h} in
 * viewBox coordinates, or null).
 */
export function separateLabels(root, { margin = 0, visible = null } = {}) {
  const layer = root?.querySelector(".agv-overlay");
  if (!layer) return;
  const labels = [...layer.children].filter((label) => label.querySelector("rect"));
  if (!labels.length || labels.length > MAX_LABELS) return;
  const graph = layer.parentNode;
  const room = roomIn(root, graph, margin, visible);

  // Reads first, writes last: no layout between them.
  const obstacles = createIndex();
  for (const node of graph.querySelectorAll(":scope > g.node")) obstacles.add(grown(boxOf(node.getBBox()), GAP, 2));
  const rank = (label) => (label.classList.contains("is-current") ? 0 : label.dataset.node ? 1 : 2);
  const ordered = labels.map((label, index) => ({ label, index })).sort((a, b) => rank(a.label) - rank(b.label) || a.index - b.index);
  const moves = [];
  for (const { label } of ordered) {
    const rect = label.querySelector("rect");
    const size = { x: Number(rect.getAttribute("x")), y: Number(rect.getAttribute("y")), w: Number(rect.getAttribute("width")), h: Number(rect.getAttribute("height")) };
    let best = null;
    let bestCost = Infinity;
    for (const place of candidates(label, size, root)) {
      const box = { x: place.x, y: place.y, w: size.w, h: size.h };
      // Areas come from differences of floats: anything under FREE square units is no overlap.
      const raw = obstacles.overlap(box) + 4 * outside(box, room);
      const cost = raw < FREE ? 0 : raw;
      if (cost < bestCost) {
        best = box;
        bestCost = cost;
        if (cost === 0) break;
      }
    }
    // Last, inside the room whatever it covers: a clipped label cannot be read at all.
    best.x = Math.min(Math.max(best.x, room.x), room.x + room.w - best.w);
    best.y = Math.min(Math.max(best.y, room.y), room.y + room.h - best.h);
    obstacles.add(grown(best, GAP / 2, 3));
    moves.push([label, best.x - size.x, best.y - size.y]);
  }
  for (const [label, dx, dy] of moves) {
    if (Math.abs(dx) > 0.01 || Math.abs(dy) > 0.01) label.setAttribute("transform", `translate(${dx.toFixed(1)} ${dy.toFixed(1)})`);
    else label.removeAttribute("transform");
  }
}

