// A quick first picture of a large drawing: its boxes, edge lines and arrowheads painted on a
// <canvas> straight from the SVG text, without building a DOM. At 20,000 nodes parsing the SVG,
// styling and laying it out take over two seconds; reading its shapes with a regular expression
// and painting them takes a small part of that. The graph view (graph-view.js) shows this picture
// at once, then builds the interactive SVG in a later task and swaps it in.
//
// Only geometry and colours are read (fill, stroke, stroke-width of each <polygon> and <path>,
// the graph group's transform); no text, no dashes. Path data goes to Path2D, which reads SVG
// path syntax itself, so Graphviz's curves and our layout's straight segments both draw. Nothing
// read here reaches the DOM: colours only become canvas styles.
//
// showPicture puts one such picture over a viewport of pan-zoom.js, and keeps it painted for
// pan-zoom's view; viewToClient and clientToView convert points between the drawing's plane
// and the page, for a tap made on the picture and acted on once the SVG is in.

import { el, svg } from "./dom.js";

const VIEW_BOX = /<svg\b[^>]*?\bviewBox="([^"]*)"/;
const GRAPH_TRANSFORM = /<g\b[^>]*?\bclass="graph"[^>]*?\btransform="([^"]*)"/;
const SHAPE = /<(polygon|path)\b([^>]*)>/g;
const ATTRIBUTE = /([a-z-]+)="([^"]*)"/g;
const STEP = /(scale|translate|rotate)\(([^)]*)\)/g;

/** The numbers of an attribute such as "0 0 10 20" or "1,2": a list, empty if none. */
function numbers(text) {
  return text.split(/[\s,]+/).filter(Boolean).map(Number);
}

/** The matrix of a transform attribute made of scale, rotate and translate steps. */
function transformOf(text) {
  const matrix = new DOMMatrix();
  for (const [, step, args] of text.matchAll(STEP)) {
    const [a = 0, b] = numbers(args);
    if (step === "scale") matrix.scaleSelf(a, b ?? a);
    else if (step === "translate") matrix.translateSelf(a, b ?? 0);
    else matrix.rotateSelf(a);
  }
  return matrix;
}

/**
 * The shapes of the SVG text, grouped by style: {viewBox: [x, y, w, h], matrix, layers:
 * [{fill, stroke, width, path: Path2D}]}, or null if the text has no viewBox.
 */
export function readPicture(text) {
  const box = VIEW_BOX.exec(text);
  if (!box) return null;
  const viewBox = numbers(box[1]);
  if (viewBox.length !== 4 || viewBox.some((n) => !Number.isFinite(n))) return null;
  const transform = GRAPH_TRANSFORM.exec(text);
  const styles = new Map(); // "fill|stroke|width" -> the path data of its shapes, in parts
  for (const [, tag, attributes] of text.matchAll(SHAPE)) {
    let fill = "black";
    let stroke = "none";
    let width = "1";
    let data = "";
    for (const [, name, value] of attributes.matchAll(ATTRIBUTE)) {
      if (name === "fill") fill = value;
      else if (name === "stroke") stroke = value;
      else if (name === "stroke-width") width = value;
      else if (name === (tag === "path" ? "d" : "points")) data = value;
    }
    if (!data) continue;
    const key = `${fill}|${stroke}|${width}`;
    if (!styles.has(key)) styles.set(key, []);
    styles.get(key).push(tag === "path" ? data : `M${data}Z`);
  }
  const layers = [];
  for (const [key, parts] of styles) {
    const [fill, stroke, width] = key.split("|");
    layers.push({ fill, stroke, width: Number(width) || 1, path: new Path2D(parts.join("")) });
  }
  return { viewBox, matrix: transform ? transformOf(transform[1]) : new DOMMatrix(), layers };
}

const painted = (colour) => colour && colour !== "none" && colour !== "transparent";

/**
 * Paint `picture` on `canvas` (CSS size `size` {w, h}) as the graph view shows the drawing:
 * `view` {x, y, k} is pan-zoom's, the viewBox point (x, y) at the top left, k px per unit.
 */
export function paintPicture(canvas, picture, view, size) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(size.w * ratio));
  const h = Math.max(1, Math.round(size.h * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${size.w}px`;
  canvas.style.height = `${size.h}px`;
  const context = canvas.getContext("2d");
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, w, h);
  const k = view.k * ratio;
  context.setTransform(k, 0, 0, k, -view.x * k, -view.y * k);
  const { a, b, c, d, e, f } = picture.matrix;
  context.transform(a, b, c, d, e, f);
  for (const layer of picture.layers) {
    if (painted(layer.fill)) {
      context.fillStyle = layer.fill;
      context.fill(layer.path);
    }
    if (painted(layer.stroke)) {
      context.strokeStyle = layer.stroke;
      context.lineWidth = Math.max(layer.width, 1 / k); // at least a device pixel wide
      context.stroke(layer.path);
    }
  }
}

/** The drawing's point (viewBox units) under the client point (x, y) of `viewport`. */
export function clientToView(viewport, panZoom, x, y) {
  const rect = viewport.getBoundingClientRect();
  const seen = panZoom.visibleBox();
  const k = panZoom.zoom();
  return { x: seen.x + (x - rect.left - viewport.clientLeft) / k, y: seen.y + (y - rect.top - viewport.clientTop) / k };
}

/** The client point where the drawing's point (x, y) is on screen now. */
export function viewToClient(viewport, panZoom, x, y) {
  const rect = viewport.getBoundingClientRect();
  const seen = panZoom.visibleBox();
  const k = panZoom.zoom();
  return { x: rect.left + viewport.clientLeft + (x - seen.x) * k, y: rect.top + viewport.clientTop + (y - seen.y) * k };
}

/**
 * The first picture of the SVG text `text` over `viewport`: an empty <svg> of the drawing's
 * extent put in `stage` (`extent`, for pan-zoom to attach) and the canvas. Returns {extent,
 * repaint(), remove()}, or null if the text has no readable viewBox. repaint() paints for
 * `panZoom`'s view: at once the first time (the canvas is then marked data-painted), later
 * once per frame. The canvas's data-view says which view it was last painted for: "x y k",
 * the drawing's point at its top left and the zoom.
 */
export function showPicture(viewport, stage, panZoom, text) {
  const picture = readPicture(text);
  if (!picture) return null;
  const [x, y, w, h] = picture.viewBox;
  const extent = svg("svg", { viewBox: `${x} ${y} ${w} ${h}`, class: "graph-svg graph-extent", "aria-hidden": "true" });
  stage.append(extent);
  const canvas = el("canvas", { class: "graph-preview", "data-testid": "graph-preview", "aria-hidden": "true" });
  viewport.append(canvas);
  let frame = 0;
  const paintNow = () => {
    const seen = panZoom.visibleBox();
    const k = panZoom.zoom();
    paintPicture(canvas, picture, { x: seen.x, y: seen.y, k }, { w: seen.w * k, h: seen.h * k });
    canvas.dataset.view = `${seen.x} ${seen.y} ${k}`; // what the picture shows (for tests and tools)
  };
  return {
    extent,
    repaint() {
      if (!canvas.hasAttribute("data-painted")) {
        paintNow();
        canvas.setAttribute("data-painted", "");
      } else if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          paintNow();
        });
      }
    },
    remove() {
      cancelAnimationFrame(frame);
      canvas.remove();
    },
  };
}
