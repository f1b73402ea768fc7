// Export the current graph: SVG (as drawn), PNG (the SVG drawn onto a canvas), DOT, JSON.

import { download } from "./dom.js";

const BASENAME = "autograd-graph";
const PNG_SCALE = 2;

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
  const { svg, dot, ...data } = graph;
  void svg;
  void dot;
  download(`${BASENAME}.json`, new Blob([JSON.stringify({ code, ...data }, null, 2)], { type: "application/json" }));
}
