// Arrow keys on a focused graph node move the focus to a neighbouring node along the edges, in
// the direction of the key as the drawing shows it: ↑ and ↓ to a node joined to this one by an
// edge, above or below it; ← and → to a joined node on that side, else to a sibling (a node that
// shares an input or a consumer with this one, as x and w both feed x * w). Panning moves to
// Shift+arrow keys (pan-zoom.js). Positions are read from the screen, so the same rule works on
// both views and at any zoom.

const DIRECTIONS = {
  ArrowUp: { x: 0, y: -1, wide: true },
  ArrowDown: { x: 0, y: 1, wide: true },
  ArrowLeft: { x: -1, y: 0, wide: false },
  ArrowRight: { x: 1, y: 0, wide: false },
};

function centre(element) {
  const rect = element.getBoundingClientRect();
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

/**
 * Of `candidates` ([{id, x, y}]), the one best placed from `from` in `direction`: ahead of it
 * (within 90° for ↑ ↓, within 45° for ← →), nearest, straight ahead preferred. Null if none is.
 */
export function pickInDirection(from, candidates, direction) {
  let best = null;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const dx = candidate.x - from.x;
    const dy = candidate.y - from.y;
    const along = dx * direction.x + dy * direction.y;
    const across = Math.abs(dx * direction.y - dy * direction.x);
    if (along <= 0.5 || (!direction.wide && across > along)) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best?.id ?? null;
}

/** The ids of the nodes joined to `id` by an edge, either way. */
function neighbours(model, id) {
  const ids = new Set();
  for (const edge of model.edgesAt(id)) ids.add(edge.source === id ? edge.target : edge.source);
  ids.delete(id);
  return ids;
}

/** The ids of the nodes that share a neighbour with `id`. */
function siblings(model, id, near) {
  const ids = new Set();
  for (const other of near) for (const sibling of neighbours(model, other)) ids.add(sibling);
  ids.delete(id);
  for (const other of near) ids.delete(other);
  return ids;
}

/**
 * The node the arrow key `key` moves to from node `id` (null: none that way, or not an arrow
 * key). `groupOf(id)` gives a node's drawn group (absent: not drawn).
 */
export function nodeAlongEdges(model, id, key, groupOf) {
  const direction = DIRECTIONS[key];
  if (!direction || !model?.hasNode(id)) return null;
  const from = groupOf(id);
  if (!from) return null;
  const origin = centre(from);
  const placed = (ids) =>
    [...ids].flatMap((other) => {
      const group = groupOf(other);
      return group ? [{ id: other, ...centre(group) }] : [];
    });
  const near = neighbours(model, id);
  const found = pickInDirection(origin, placed(near), direction);
  if (found || direction.wide) return found;
  return pickInDirection(origin, placed(siblings(model, id, near)), direction);
}

/**
 * Handle a keydown on the graph: a plain arrow key on a node moves the focus along the edges.
 * Returns whether the key was used.
 */
export function moveFocusAlongEdges(event, model, groupOf) {
  if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || !DIRECTIONS[event.key]) return false;
  const node = event.target.closest?.("g.node");
  if (!node) return false;
  event.preventDefault(); // no panning and no page scroll, even at a node with no neighbour that way
  const next = nodeAlongEdges(model, node.id, event.key, groupOf);
  if (next) groupOf(next).focus({ preventScroll: true });
  return true;
}
