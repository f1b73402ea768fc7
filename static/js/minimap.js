// The minimap: a small overview of the whole drawing in a corner of the graph panel, with the
// rectangle the viewport shows. A press or a drag on it centres the view there. It follows every
// pan and zoom and marks the stepper's running node; it hides while the whole drawing is in view,
// and the toolbar's toggle hides it for good (remembered in localStorage).
//
// A cheap picture, whatever the drawing's size: each node is one filled box on a <canvas>, taken
// from the drawing's own geometry once per drawing (never a clone of the SVG). Boxes are read
// after the first picture is painted, and only while the minimap is shown.
//
// The overview is aria-hidden: it repeats what the graph view shows, and the view itself is
// reached and moved by keyboard (pan-zoom.js, edge-keys.js). The toggle is a plain button.

import { el, on } from "./dom.js";
import { t } from "./i18n.js";

// The overview's largest size (CSS px) and its shortest side: a drawing far taller than wide
// (a 20,000-node chain is 100 px by 1,000,000 px) is stretched to stay visible and clickable.
const MAX_W = 200;
const MAX_H = 150;
const MIN_SIDE = 48;
const MIN_RECT = 4; // the viewport's rectangle is never drawn smaller than this (px)
const STORAGE_KEY = "autograd-viz.minimap";

/** The overview's scale for a drawing of extent {w, h}: px per drawing unit on each axis. */
export function overviewScale(extent) {
  const aspect = extent.w / extent.h;
  let width = MAX_W;
  let height = MAX_W / aspect;
  if (height > MAX_H) {
    height = MAX_H;
    width = MAX_H * aspect;
  }
  width = Math.max(MIN_SIDE, width);
  height = Math.max(MIN_SIDE, height);
  return { width, height, sx: width / extent.w, sy: height / extent.h };
}

/** Each node's box in the drawing's viewBox coordinates: [{id, kind, x, y, w, h}]. */
function nodeBoxes(root) {
  const toRoot = new Map(); // parent element -> its matrix to the root's user space
  const rootCtm = root.getCTM();
  if (!rootCtm) return [];
  const inverse = DOMMatrix.fromMatrix(rootCtm).inverse();
  const boxes = [];
  for (const group of root.querySelectorAll("g.node")) {
    const parent = group.parentNode;
    // Both views draw nodes in their parent's coordinates (no transform of their own); the
    // arithmetic is written out: 20,000 DOMPoints cost a drawing of that size about 100 ms.
    if (!toRoot.has(parent)) toRoot.set(parent, inverse.multiply(DOMMatrix.fromMatrix(parent.getCTM())));
    const { a, b, c, d, e, f } = toRoot.get(parent);
    const box = group.getBBox();
    const x0 = a * box.x + c * box.y + e;
    const y0 = b * box.x + d * box.y + f;
    const x1 = a * (box.x + box.width) + c * (box.y + box.height) + e;
    const y1 = b * (box.x + box.width) + d * (box.y + box.height) + f;
    const kind = group.classList.contains("kind-tensor") ? "tensor" : "function";
    boxes.push({ id: group.id, kind, x: Math.min(x0, x1), y: Math.min(y0, y1), w: Math.abs(x1 - x0), h: Math.abs(y1 - y0) });
  }
  return boxes;
}

function readStoredChoice() {
  try {
    return localStorage.getItem(STORAGE_KEY) !== "off";
  } catch {
    return true;
  }
}

/**
 * The minimap of `graphView`, placed in `frame` (the element around the viewport). Returns
 * {element, toggle, setSuspended(flag), setRunning(id or null), relabel()}; `toggle` is the button to put in a toolbar.
 */
export function createMinimap(frame, graphView) {
  const canvas = el("canvas", { class: "minimap-canvas" });
  const rect = el("div", { class: "minimap-view", "data-testid": "minimap-view" });
  const running = el("div", { class: "minimap-running", "data-testid": "minimap-running", hidden: "" });
  const element = el("div", { class: "minimap", "aria-hidden": "true", "data-testid": "minimap", hidden: "" }, canvas, rect, running);
  frame.append(element);
  const toggle = el(
    "button",
    {
      type: "button",
      class: "toggle-button",
      title: t("minimap.toggle_title"),
      "data-i18n": "minimap.toggle",
      "data-i18n-title": "minimap.toggle_title",
      "data-testid": "minimap-toggle",
      on: { click: () => setEnabled(toggle.getAttribute("aria-pressed") !== "true") },
    },
    t("minimap.toggle"),
  );

  let enabled = readStoredChoice();
  let root = null; // the drawing on screen
  let boxes = null; // its node boxes, read once the minimap is first shown for it
  let scale = null; // overviewScale of its extent
  let extent = null;
  let runningId = null;
  let runningBox = null; // its box, once the boxes are read
  // While one iteration of a loop is shown (iterations.js), its nodes are laid out again, apart
  // from the whole drawing the overview shows: the overview steps aside.
  let suspended = false;
  let pending = null; // {frame, timer}: what reads the boxes, after the first picture is painted

  function setEnabled(flag) {
    enabled = flag;
    try {
      localStorage.setItem(STORAGE_KEY, flag ? "on" : "off");
    } catch {
      // storage refused (private mode): the choice lasts for this page
    }
    update();
  }

  /** Whether the viewport shows the whole drawing (then the minimap has nothing to add). */
  function fits() {
    const seen = graphView.visibleBox();
    const slack = 1;
    return seen.x <= extent.x + slack && seen.y <= extent.y + slack && seen.x + seen.w >= extent.x + extent.w - slack && seen.y + seen.h >= extent.y + extent.h - slack;
  }

  function paint() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(scale.width * ratio);
    canvas.height = Math.round(scale.height * ratio);
    canvas.style.width = `${scale.width}px`;
    canvas.style.height = `${scale.height}px`;
    const context = canvas.getContext("2d");
    const style = getComputedStyle(element);
    const colours = { tensor: style.getPropertyValue("--minimap-tensor").trim() || "#c05621", function: style.getPropertyValue("--minimap-function").trim() || "#4a5568" };
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, scale.width, scale.height);
    for (const kind of ["function", "tensor"]) {
      context.fillStyle = colours[kind];
      for (const box of boxes) {
        if (box.kind !== kind) continue;
        // At least a pixel each way, so that every node leaves a mark however far it is scaled down.
        const x = (box.x - extent.x) * scale.sx;
        const y = (box.y - extent.y) * scale.sy;
        context.fillRect(x, y, Math.max(1, box.w * scale.sx), Math.max(1, box.h * scale.sy));
      }
    }
    element.dataset.nodes = String(boxes.length);
  }

  /** Where the viewport's rectangle and the running node go (cheap: runs on every frame of a gesture). */
  function place() {
    const seen = graphView.visibleBox();
    const left = Math.max(0, (seen.x - extent.x) * scale.sx);
    const top = Math.max(0, (seen.y - extent.y) * scale.sy);
    const right = Math.min(scale.width, (seen.x + seen.w - extent.x) * scale.sx);
    const bottom = Math.min(scale.height, (seen.y + seen.h - extent.y) * scale.sy);
    const width = Math.max(MIN_RECT, right - left);
    const height = Math.max(MIN_RECT, bottom - top);
    rect.style.transform = `translate(${Math.min(left, scale.width - width)}px, ${Math.min(top, scale.height - height)}px)`;
    rect.style.width = `${width}px`;
    rect.style.height = `${height}px`;
    running.hidden = !runningBox;
    if (runningBox) {
      const x = (runningBox.x + runningBox.w / 2 - extent.x) * scale.sx;
      const y = (runningBox.y + runningBox.h / 2 - extent.y) * scale.sy;
      running.style.transform = `translate(${x}px, ${y}px)`;
    }
  }

  function update() {
    toggle.setAttribute("aria-pressed", String(enabled));
    const show = Boolean(enabled && !suspended && root && extent && !fits());
    element.hidden = !show;
    if (!show) return;
    if (!boxes) {
      if (!pending) {
        pending = { frame: requestAnimationFrame(() => (pending.timer = setTimeout(readBoxes))), timer: 0 };
      }
      return;
    }
    place();
  }

  const findRunning = () => (runningId && boxes?.find((box) => box.id === runningId)) || null;

  function readBoxes() {
    pending = null;
    if (!root) return;
    boxes = nodeBoxes(root);
    runningBox = findRunning();
    paint();
    update();
  }

  graphView.bind("drawn", (svgRoot) => {
    root = svgRoot;
    boxes = null;
    runningBox = null;
    if (pending) {
      cancelAnimationFrame(pending.frame);
      clearTimeout(pending.timer);
    }
    pending = null;
    extent = root ? graphView.extent() : null;
    scale = extent ? overviewScale(extent) : null;
    element.dataset.nodes = "0";
    if (scale) {
      element.style.width = `${scale.width}px`;
      element.style.height = `${scale.height}px`;
    }
    update();
  });
  graphView.bind("view", () => {
    if (root && extent) update();
  });

  // A press or a drag on the overview centres the view on the point under the pointer.
  let dragging = null;
  const centreAt = (event) => {
    const bounds = canvas.getBoundingClientRect();
    const x = Math.min(scale.width, Math.max(0, event.clientX - bounds.left));
    const y = Math.min(scale.height, Math.max(0, event.clientY - bounds.top));
    graphView.centerOn(extent.x + x / scale.sx, extent.y + y / scale.sy);
  };
  on(element, "pointerdown", (event) => {
    if (!scale || (event.button !== 0 && event.pointerType === "mouse")) return;
    event.preventDefault();
    dragging = event.pointerId;
    element.setPointerCapture?.(event.pointerId);
    element.classList.add("is-dragging");
    centreAt(event);
  });
  on(element, "pointermove", (event) => {
    if (event.pointerId === dragging) centreAt(event);
  });
  const release = (event) => {
    if (event.pointerId !== dragging) return;
    dragging = null;
    element.classList.remove("is-dragging");
  };
  on(element, "pointerup", release);
  on(element, "pointercancel", release);

  update();
  return {
    element,
    toggle,
    /** Step aside (true) while the view shows a part laid out on its own, such as one iteration. */
    setSuspended(flag) {
      suspended = Boolean(flag);
      update();
    },
    /** Mark the stepper's running node (null: none). */
    setRunning(id) {
      runningId = id ?? null;
      runningBox = findRunning();
      if (!element.hidden && boxes) place();
    },
    relabel() {
      toggle.textContent = t("minimap.toggle");
      toggle.title = t("minimap.toggle_title");
    },
  };
}
