// Export the current graph: SVG (as drawn), PNG (the SVG drawn onto a canvas), DOT, JSON.
// The SVG and PNG carry what the screen shows: the drawing with its overlays (values and .grad
// on the nodes, the backward step's marks) and its text in the page's language, in the light
// theme's colours (a file has no stylesheet: the rules the overlays need go inside it).

import { download, svg } from "./dom.js";

const BASENAME = "autograd-graph";
const PNG_SCALE = 2;
const MARGIN = 6;
// Classes of the page's own state (hover, selection, a source line lit), not of the picture.
const PAGE_STATES = ["is-selected", "is-lineage", "is-line-match", "is-tracing"];
const SHAPES = ":is(path, polygon, circle, ellipse, rect)";
const EXPORT_STYLE = `
.grad-label rect, .grad-badge rect, .value-card rect { fill: #ffffff; stroke: #d6336c; stroke-width: 0.8px; }
.grad-label text, .grad-badge text { fill: #a61e4d; font-family: monospace; }
.value-card rect { stroke: #4a5568; }
.value-card text { fill: #1a202c; font-family: monospace; }
.grad-label.is-current rect, .grad-badge.is-fresh rect, .value-card.is-fresh rect { fill: #d6336c; stroke: #d6336c; }
.grad-label.is-current text, .grad-badge.is-fresh text, .value-card.is-fresh text { fill: #ffffff; font-weight: 700; }
.grad-label.is-incoming rect { fill: #1d4ed8; stroke: #1d4ed8; }
.grad-label.is-incoming text { fill: #ffffff; font-weight: 700; }
.node.is-done > ${SHAPES}, .node.is-root-active > ${SHAPES} { stroke: #d6336c; stroke-width: 2px; }
.node.is-running > ${SHAPES} { stroke: #d6336c; stroke-width: 4px; fill: #fbe3ec; }
.node.is-running > text { font-weight: 700; }
.edge.has-grad path { stroke: #d6336c; stroke-opacity: 0.55; stroke-width: 1.8px; }
.edge.has-grad polygon { stroke: #d6336c; fill: #d6336c; }
.edge.is-flowing path { stroke: #d6336c; stroke-width: 2.6px; stroke-dasharray: 7 4; }
.edge.is-flowing polygon { stroke: #d6336c; fill: #d6336c; }
.edge.is-incoming path { stroke: #1d4ed8; stroke-width: 2.6px; }
.edge.is-incoming polygon { stroke: #1d4ed8; fill: #1d4ed8; }
`;

/**
 * The picture on screen (`root`, the view's <svg>) as a standalone SVG document: its overlays
 * included (the viewBox grown to hold labels drawn past the edge), the page's state left out.
 */
export function standaloneSvg(root) {
  const [x0, y0, w0, h0] = (root.getAttribute("viewBox") ?? "0 0 0 0").split(/[\s,]+/).map(Number);
  let box = { x: x0, y: y0, width: w0, height: h0 };
  try {
    const drawn = root.getBBox();
    const x = Math.min(x0, drawn.x - MARGIN);
    const y = Math.min(y0, drawn.y - MARGIN);
    box = { x, y, width: Math.max(x0 + w0, drawn.x + drawn.width + MARGIN) - x, height: Math.max(y0 + h0, drawn.y + drawn.height + MARGIN) - y };
  } catch {
    // Not laid out (hidden): the drawing's own box.
  }
  const copy = root.cloneNode(true);
  copy.classList.remove(...PAGE_STATES);
  // A file's shapes are a picture, not controls: no focus stops, no button semantics.
  for (const node of copy.querySelectorAll("[tabindex], [class]")) {
    for (const name of ["tabindex", "role", "aria-pressed"]) node.removeAttribute(name);
    if (node.classList.length) node.classList.remove(...PAGE_STATES);
  }
  const viewBox = [box.x, box.y, box.width, box.height].map((v) => Number(v.toFixed(2)));
  copy.setAttribute("viewBox", viewBox.join(" "));
  copy.setAttribute("width", String(Math.ceil(box.width)));
  copy.setAttribute("height", String(Math.ceil(box.height)));
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.prepend(
    svg("style", {}, EXPORT_STYLE),
    svg("rect", { x: viewBox[0], y: viewBox[1], width: viewBox[2], height: viewBox[3], fill: "#ffffff" }),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export function exportSvg(svgText) {
  download(`${BASENAME}.svg`, new Blob([svgText], { type: "image/svg+xml" }));
}

/** Draw the SVG on a white canvas at twice its size and save it as PNG. */
export async function exportPng(svgText) {
  const blob = await svgToPng(svgText);
  download(`${BASENAME}.png`, blob);
}

export async function svgToPng(svgText, scale = PNG_SCALE) {
  const image = new Image();
  // A data: URL (not blob:) keeps the canvas untainted in every browser.
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed"))), "image/png"),
  );
}

export function exportDot(dot) {
  download(`${BASENAME}.dot`, new Blob([dot], { type: "text/vnd.graphviz" }));
}

/** The graph as the API returned it, with the program, minus the drawings. */
export function exportJson(graph, code) {
  const { svg: _svg, dot: _dot, ...data } = graph;
  void _svg;
  void _dot;
  download(`${BASENAME}.json`, new Blob([JSON.stringify({ code, ...data }, null, 2)], { type: "application/json" }));
}
