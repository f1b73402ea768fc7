// Drawing a folded graph (module-fold.js's foldedView): the computation view's layered layout
// (computation-view.js) with each folded module, or run of identical modules, as one box: its
// type (×20 for a run), its path, the shapes going in and out, its parameter count and, after
// backward, its parameters' gradient norm. The rest of the graph is drawn as the computation
// view draws it. Used in both views: an unfolded graph keeps its own drawing.

import { svg } from "./dom.js";
import { buildComputationSvg } from "./computation-view.js";
import { t } from "./i18n.js";
import { textWidth } from "./text-width.js";

const FONT = "Helvetica,Arial,sans-serif";
const LINE = 13;
const PAD_X = 12;

const clip = (text, max = 34) => (text.length > max ? `${text.slice(0, (max - 1) >> 1)}…${text.slice(text.length - (max >> 1))}` : text);
const shapeList = (shapes) => shapes.map((shape) => `[${shape.join(", ")}]`).join(" ");

/** A number as few characters as it needs: 1449, 1.4k, 0.0223, 1.4e-9. */
export function shortNumber(value) {
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (Number.isInteger(value) && size < 10_000) return String(value);
  if (size >= 1e6) return `${(value / 1e6).toPrecision(3).replace(/\.?0+$/, "")}M`;
  if (size >= 1e3) return `${(value / 1e3).toPrecision(3).replace(/\.?0+$/, "")}k`;
  if (size >= 1e-3) return value.toPrecision(3).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return value.toExponential(1);
}

/** The lines of a folded module's box, the first its title. */
export function foldLines(info) {
  const title = `${info.type || t("fold.module")}${info.kind === "run" ? ` ×${info.count}` : ""}`;
  const lines = [title, clip(info.path)];
  if (info.inputs.length || info.outputs.length) lines.push(`${shapeList(info.inputs) || "·"} → ${shapeList(info.outputs) || "·"}`);
  const stats = [t("fold.params", { n: shortNumber(info.parameters) })];
  if (info.gradNorm !== null) stats.push(t("fold.grad_norm", { value: shortNumber(info.gradNorm) }));
  lines.push(stats.join(" · "));
  return lines;
}

function measure(node) {
  if (node.kind !== "group" || !node.fold) return null;
  const lines = foldLines(node.fold);
  const w = Math.max(...lines.map((line, i) => textWidth(line, i === 0 ? 12 : 10, 0.6))) + 2 * PAD_X;
  return { w: Math.max(w, 90), h: lines.length * LINE + 12 };
}

function drawNode(node, p) {
  if (node.kind !== "group" || !node.fold) return null;
  const lines = foldLines(node.fold);
  const group = svg("g", { id: node.id, class: `node fold-${node.fold.kind}` });
  const left = p.x - p.w / 2;
  const top = p.y - p.h / 2;
  // A run is drawn as a stack: two edges behind the box say "more of the same".
  if (node.fold.kind === "run") {
    for (const offset of [6, 3]) group.append(svg("rect", { class: "fold-stack", x: left + offset, y: top - offset, width: p.w, height: p.h, rx: 8 }));
  }
  group.append(svg("rect", { class: "fold-box", x: left, y: top, width: p.w, height: p.h, rx: 8 }));
  lines.forEach((line, i) => {
    group.append(
      svg(
        "text",
        { x: p.x, y: top + 6 + (i + 1) * LINE - 2, "text-anchor": "middle", "font-family": FONT, "font-size": i === 0 ? 12 : 10, "font-weight": i === 0 ? "bold" : "normal", class: i === 0 ? "fold-title" : "fold-line" },
        line,
      ),
    );
  });
  return group;
}

/** The <svg> of a folded graph model, shaped as the computation view's. */
export function buildFoldedSvg(model) {
  const root = buildComputationSvg(model, { measure, drawNode });
  root.setAttribute("data-folded", "true");
  return root;
}

/** A folded module's accessible name: what it shows, and that Enter unfolds it. */
export const foldedName = (drawn) => t("fold.node", { drawn });
