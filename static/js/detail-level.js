// Level of detail for big drawings: zoomed out so far that a node's words would be a few pixels
// high, a drawing of thousands of nodes leaves them out (the class `is-far` on its <svg>,
// app.css). Laying out 40,000 texts nobody can read is most of the browser's work on the first
// picture of a 20,000-node graph; they come back once the view is zoomed in.
//
// The class changes only while the drawing is still (never during a drag, pinch or wheel run:
// bringing the words back lays out every text once, which would stall a frame of the gesture).

// From this many nodes (the server's own layered layout starts at 2,000).
export const FAR_NODES = 2_000;
// Below this zoom the words are hidden: 11 px text drawn under 3.3 px.
export const FAR_ZOOM = 0.3;
const SETTLE_MS = 120;

/** Whether a drawing of `nodes` nodes at zoom `k` leaves its words out. */
export function isFar(nodes, k) {
  return nodes >= FAR_NODES && k < FAR_ZOOM;
}

/** Keep `is-far` on graphView's drawing true to its size and zoom. */
export function bindDetailLevel(graphView) {
  let root = null;
  let nodes = 0;
  let timer = 0;

  function apply() {
    timer = 0;
    if (!root) return;
    if (graphView.busy) {
      timer = setTimeout(apply, SETTLE_MS);
      return;
    }
    const far = isFar(nodes, graphView.zoom());
    if (far !== root.classList.contains("is-far")) root.classList.toggle("is-far", far);
  }

  graphView.bind("drawn", (svgRoot) => {
    root = svgRoot;
    clearTimeout(timer);
    timer = 0;
    if (!root) return;
    nodes = root.querySelectorAll("g.node").length;
    apply(); // at once: the first picture is painted without the hidden words
  });
  graphView.bind("view", () => {
    if (root && nodes >= FAR_NODES && !timer) timer = setTimeout(apply, SETTLE_MS);
  });
}
