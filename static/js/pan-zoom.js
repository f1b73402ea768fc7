// Pan and zoom an <svg> inside a viewport: drag, two-finger pinch, wheel (or only Ctrl+wheel,
// for embeds inside scrolling pages), Shift+arrow keys (plain arrow keys too on the bare
// viewport; on a node they move along edges, edge-keys.js), + / - / 0. A press that does not
// move is a tap, reported with its target; each fit (new drawing, resize, "0") is reported too.
//
// The <svg> keeps its own viewBox at its natural size inside `surface` (a wrapper element), and
// the view moves by one CSS transform on that wrapper. Rewriting the viewBox instead would make
// the browser lay out every text of the drawing again on each frame (about 100 ms at 5,000
// nodes); a transform only re-rasterizes what is on screen.
//
// During a gesture over a drawing that shows many nodes at once, the wrapper has `will-change:
// transform` too (an inline style: it restyles the wrapper alone), so that the browser moves the
// drawing as one layer instead of repainting it each frame; it is dropped once the gestures have
// rested, and the drawing is then drawn sharp at its new zoom. Only then: a layer is painted in a
// band of about 4,000 px around the viewport and painted again whenever a pan reaches past part
// of it, so on a drawing far larger than the screen (a 20,000-node chain is a million units tall)
// each such repaint covers thousands of nodes (25-50 ms, a dropped frame every few moves), while
// repainting the few nodes the viewport shows takes a fraction of a frame (layerPays below).

import { area } from "./box-index.js";
import { on } from "./dom.js";

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 8;
export const MAX_FIT_ZOOM = 1.6;
// Room kept around the drawing by "fit", for the stepper's labels and badges (label-layout.js
// keeps them inside it): a two-line .grad badge above a leaf of the top row fits.
export const FIT_MARGIN = 30;
const FIT_FILL = 0.96;
const DRAG_THRESHOLD = 4;
const KEY_STEP = 40;
// A run of wheel steps is one gesture until the wheel has been still this long.
const WHEEL_IDLE_MS = 150;
// How long after a gesture the drawing stays on its own layer (another gesture soon after keeps
// it there; dropping it repaints the drawing).
const LAYER_REST_MS = 400;
// From about this many nodes in view, a gesture moves the drawing as one layer: below it,
// repainting what the viewport shows each frame costs less than the layer's own upkeep.
export const LAYER_FROM_NODES = 400;

/**
 * How many of a drawing's `nodes` the view shows, taking them as spread evenly over its
 * extent: `nodes` times the share of the extent {x, y, w, h} inside the visible box (same units).
 */
export function nodesInView(nodes, extent, visible) {
  return (nodes * area(extent, visible)) / (extent.w * extent.h);
}

export function createPanZoom(viewport, surface, { wheel = "always", onTap = () => {}, onGesture = () => {}, onFit = () => {}, onView = () => {} } = {}) {
  let root = null;
  let base = { x: 0, y: 0, w: 1, h: 1 }; // the drawing's own viewBox
  let nodes = 0; // how many nodes the drawing has (attach's), for the gesture's layer
  let view = { x: 0, y: 0, k: 1 };
  let userMoved = false;
  let focus = null; // the part of the drawing "fit" fits, when not all of it (fitElements), or null
  let gesturing = false; // a drag, pinch or run of wheel steps under way (see startGesture)

  // The viewport's size as the ResizeObserver last reported it. Reading clientWidth right after
  // a new drawing joins the page would lay out all of it at once, inside the script (about
  // 250 ms at 5,000 nodes), before the page's own next frame would.
  let known = null;
  const measure = () => ({ w: viewport.clientWidth || 1, h: viewport.clientHeight || 1 });
  const size = () => known ?? measure();

  function apply() {
    if (!root) return;
    const { k } = view;
    surface.style.transform = `translate(${(base.x - view.x) * k}px, ${(base.y - view.y) * k}px) scale(${k})`;
    viewport.dataset.zoom = k.toFixed(3);
    if (gesturing && !layered() && layerPays()) promote(); // zoomed out far enough mid-gesture
    onView(); // each move of the view, for the minimap (minimap.js)
  }

  /** The part of the drawing's plane the viewport shows, in viewBox coordinates. */
  function visibleBox() {
    const { w, h } = size();
    return { x: view.x, y: view.y, w: w / view.k, h: h / view.k };
  }

  function fit() {
    userMoved = false;
    const { w, h } = size();
    const box = focus ?? base;
    const fitted = Math.min(w / (box.w + 2 * FIT_MARGIN), h / (box.h + 2 * FIT_MARGIN)) * FIT_FILL;
    const k = Math.min(MAX_FIT_ZOOM, Math.max(MIN_ZOOM, fitted));
    view = { k, x: box.x - (w / k - box.w) / 2, y: box.y - (h / k - box.h) / 2 };
    apply();
    onFit(); // what the view shows changed with the viewport: labels placed for it may move
  }

  function zoomAt(factor, px, py) {
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.k * factor));
    const gx = view.x + px / view.k;
    const gy = view.y + py / view.k;
    view = { k, x: gx - px / k, y: gy - py / k };
    userMoved = true;
    apply();
  }

  function zoomBy(factor) {
    const { w, h } = size();
    zoomAt(factor, w / 2, h / 2);
  }

  /** Centre the view on the point (x, y) of the drawing's plane, keeping the zoom. */
  function centerOn(x, y) {
    const { w, h } = size();
    view = { ...view, x: x - w / view.k / 2, y: y - h / view.k / 2 };
    userMoved = true;
    apply();
  }

  function panBy(dx, dy) {
    view = { ...view, x: view.x - dx / view.k, y: view.y - dy / view.k };
    userMoved = true;
    apply();
  }

  /** An element's box in the drawing's viewBox coordinates: corners a and b, or null. */
  function boxOf(element) {
    const ctm = element.getCTM?.();
    const rootCtm = root?.getCTM?.();
    if (!ctm || !rootCtm) return null;
    const box = element.getBBox();
    const toView = rootCtm.inverse().multiply(ctm);
    return {
      a: new DOMPoint(box.x, box.y).matrixTransform(toView),
      b: new DOMPoint(box.x + box.width, box.y + box.height).matrixTransform(toView),
    };
  }

  /** Make "fit" fit only these elements of the drawing (none: all of it), and fit. */
  function fitElements(elements) {
    const boxes = [...(elements ?? [])].map(boxOf).filter(Boolean);
    focus = null;
    if (boxes.length) {
      const x = Math.min(...boxes.map((box) => box.a.x));
      const y = Math.min(...boxes.map((box) => box.a.y));
      focus = { x, y, w: Math.max(...boxes.map((box) => box.b.x)) - x || 1, h: Math.max(...boxes.map((box) => box.b.y)) - y || 1 };
    }
    fit();
  }

  /** Pan just enough to bring an element of the drawing into view (keyboard focus). */
  function reveal(element) {
    const corners = boxOf(element);
    if (!corners) return;
    const { a, b } = corners;
    const { w, h } = size();
    let { x, y } = view;
    if (a.x < x) x = a.x - 10;
    else if (b.x > x + w / view.k) x = b.x - w / view.k + 10;
    if (a.y < y) y = a.y - 10;
    else if (b.y > y + h / view.k) y = b.y - h / view.k + 10;
    if (x !== view.x || y !== view.y) {
      view = { ...view, x, y };
      apply();
    }
  }

  // --- gestures: a drag, a pinch, or a run of wheel steps ----------------------------------------
  // While one lasts, the viewport's ::before shield covers the drawing, so the browser's hover
  // hit tests (after every frame that moves the drawing under the pointer) stop at the shield
  // instead of searching thousands of SVG shapes, and nothing in the drawing changes :hover.
  // `onGesture(false, target)` reports the end with the element under the pointer then.
  let wheelTimer = 0;
  let layerTimer = 0;
  let pointer = null; // the last pointer position seen, for the element under it at the end
  function layerPays() {
    return nodesInView(nodes, base, visibleBox()) >= LAYER_FROM_NODES;
  }
  /** Whether the drawing is on its own layer for gestures (will-change). */
  function layered() {
    return surface.style.willChange !== "";
  }
  function promote() {
    surface.style.willChange = "transform";
  }
  function demote() {
    surface.style.willChange = "";
  }
  function startGesture() {
    clearTimeout(wheelTimer);
    clearTimeout(layerTimer);
    if (gesturing) return;
    gesturing = true;
    if (!layered() && layerPays()) promote();
    viewport.classList.add("is-gesturing");
    onGesture(true, null);
  }
  function endGesture() {
    clearTimeout(wheelTimer);
    if (!gesturing) return;
    gesturing = false;
    viewport.classList.remove("is-gesturing", "is-panning");
    if (layered()) layerTimer = setTimeout(demote, LAYER_REST_MS);
    onGesture(false, pointer ? document.elementFromPoint(pointer.x, pointer.y) : null);
  }

  // --- pointers: drag to pan, pinch to zoom, tap to select ---------------------------------------
  const pointers = new Map();
  let press = null;
  on(viewport, "pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    if (event.target.closest("button, a, input, select, summary, details")) return;
    let { target } = event;
    if (gesturing && pointers.size === 0) {
      // A press right after wheel zooming lands on the shield: find what is under it.
      endGesture();
      target = document.elementFromPoint(event.clientX, event.clientY) ?? target;
    }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    viewport.setPointerCapture?.(event.pointerId);
    if (pointers.size === 1) press = { x: event.clientX, y: event.clientY, moved: false, target };
  });
  on(viewport, "pointermove", (event) => {
    pointer = { x: event.clientX, y: event.clientY };
    const last = pointers.get(event.pointerId);
    if (!last) return;
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const before = Math.hypot(a.x - b.x, a.y - b.y);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      const [c, d] = [...pointers.values()];
      const rect = viewport.getBoundingClientRect();
      startGesture();
      if (before > 0) zoomAt(Math.hypot(c.x - d.x, c.y - d.y) / before, (c.x + d.x) / 2 - rect.left, (c.y + d.y) / 2 - rect.top);
      if (press) press.moved = true;
      return;
    }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (!press) return;
    if (!press.moved && Math.hypot(event.clientX - press.x, event.clientY - press.y) < DRAG_THRESHOLD) return;
    press.moved = true;
    startGesture();
    viewport.classList.add("is-panning");
    panBy(event.clientX - last.x, event.clientY - last.y);
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size > 0) return;
    pointer = { x: event.clientX, y: event.clientY };
    endGesture();
    if (press && !press.moved && event.type === "pointerup") onTap(press.target);
    press = null;
  };
  on(viewport, "pointerup", release);
  on(viewport, "pointercancel", release);

  on(
    viewport,
    "wheel",
    (event) => {
      if (!root || (wheel === "ctrl" && !(event.ctrlKey || event.metaKey))) return;
      event.preventDefault();
      pointer = { x: event.clientX, y: event.clientY };
      if (pointers.size === 0) {
        startGesture();
        wheelTimer = setTimeout(endGesture, WHEEL_IDLE_MS);
      }
      const rect = viewport.getBoundingClientRect();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      zoomAt(Math.exp(-delta * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    },
    { passive: false },
  );

  const keys = {
    ArrowLeft: () => panBy(KEY_STEP, 0),
    ArrowRight: () => panBy(-KEY_STEP, 0),
    ArrowUp: () => panBy(0, KEY_STEP),
    ArrowDown: () => panBy(0, -KEY_STEP),
    "+": () => zoomBy(1.25),
    "=": () => zoomBy(1.25),
    "-": () => zoomBy(0.8),
    0: () => fit(),
  };
  on(viewport, "keydown", (event) => {
    if (event.target.closest("input, select, textarea, button, summary")) return;
    if (!keys[event.key] || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.startsWith("Arrow") && !event.shiftKey && event.target !== viewport) return;
    event.preventDefault();
    keys[event.key]();
  });

  new ResizeObserver(() => {
    known = measure(); // layout is up to date while observers run: no extra work
    if (userMoved) apply();
    else fit();
  }).observe(viewport);

  return {
    /** Take over a freshly drawn <svg> of `nodes` nodes: its viewBox is the drawing's extent;
     * fit it (with `keepView`, keep the view as it is: the same drawing, its first picture
     * replaced). */
    attach(svgRoot, { keepView = false, nodes: count = 0 } = {}) {
      root = svgRoot;
      nodes = count;
      const box = (svgRoot?.getAttribute("viewBox") ?? "0 0 1 1").split(/[\s,]+/).map(Number);
      base = { x: box[0] || 0, y: box[1] || 0, w: box[2] || 1, h: box[3] || 1 };
      surface.style.width = `${base.w}px`;
      surface.style.height = `${base.h}px`;
      if (keepView) {
        apply();
        return;
      }
      focus = null;
      fit();
    },
    fit,
    fitElements,
    zoomBy,
    reveal,
    centerOn,
    /** Whether a drag, pinch or wheel zoom is under way (or a press that may become one). */
    get busy() {
      return gesturing || pointers.size > 0;
    },
    naturalSize: () => ({ w: base.w, h: base.h }),
    /** The current zoom (CSS px per drawing unit). */
    zoom: () => view.k,
    /** The drawing's own viewBox (its plane's extent): {x, y, w, h}. */
    extent: () => ({ ...base }),
    visibleBox,
    /** The viewport height at which "fit" fills this width (zoom capped at maxZoom). */
    fitHeight(width, maxZoom = MAX_FIT_ZOOM) {
      const box = focus ?? base;
      const k = Math.min(maxZoom, (width / (box.w + 2 * FIT_MARGIN)) * FIT_FILL);
      return ((box.h + 2 * FIT_MARGIN) * k) / FIT_FILL;
    },
  };
}
