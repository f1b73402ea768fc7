// The legend: a swatch and a name for each kind of node and edge, drawn in the graph's palette
// (palette.js), as the current view draws them.

import { el, svg } from "./dom.js";
import { EDGE_STYLE, FUNCTION_STYLE, ROLE_STYLE } from "./palette.js";
import { t } from "./i18n.js";

const NODE_ITEMS = [
  ["leaf", "legend.leaf"],
  ["parameter", "legend.parameter"],
  ["named", "legend.named"],
  ["root", "legend.root"],
  ["function", "legend.function"],
  ["constant", "legend.constant"],
  ["no_grad", "legend.no_grad"],
];
const EDGE_ITEMS = [
  ["data", "legend.edge_data"],
  ["saved", "legend.edge_saved"],
  ["detach", "legend.edge_detach"],
];

function nodeSwatch(kind, mode) {
  const style = kind === "function" ? FUNCTION_STYLE : ROLE_STYLE[kind];
  const shape =
    kind === "function" && mode === "computation"
      ? svg("circle", { cx: 14, cy: 9, r: 7 })
      : svg("rect", { x: 3, y: 2, width: 22, height: 14, rx: kind === "function" || mode === "computation" ? 4 : 0 });
  shape.setAttribute("fill", style.fill);
  shape.setAttribute("stroke", style.stroke);
  shape.setAttribute("stroke-width", String(style.width ?? 1.2));
  if (style.dash) shape.setAttribute("stroke-dasharray", style.dash);
  return svg("svg", { class: `legend-swatch swatch-${kind}`, width: 28, height: 18, viewBox: "0 0 28 18", "aria-hidden": "true" }, shape);
}

function edgeSwatch(kind) {
  const style = EDGE_STYLE[kind];
  const line = svg("line", { x1: 2, y1: 9, x2: 20, y2: 9, stroke: style.stroke, "stroke-width": 1.4 });
  if (style.dash) line.setAttribute("stroke-dasharray", style.dash);
  const head = svg("polygon", {
    points: "20,5 27,9 20,13",
    fill: style.hollow ? "none" : style.stroke,
    stroke: style.stroke,
  });
  return svg("svg", { class: `legend-swatch edge-swatch-${kind}`, width: 28, height: 18, viewBox: "0 0 28 18", "aria-hidden": "true" }, line, head);
}

/** Fill the legend list for the current view ("autograd" or "computation"). */
export function renderLegend(list, mode = "autograd") {
  list.replaceChildren(
    ...NODE_ITEMS.map(([kind, key]) =>
      el("li", { class: "legend-item" }, nodeSwatch(kind, mode), el("span", {}, t(key)))),
    ...EDGE_ITEMS.map(([kind, key]) =>
      el("li", { class: "legend-item" }, edgeSwatch(kind), el("span", {}, t(key)))),
    el("li", { class: "legend-item legend-note" },
      el("span", { class: "legend-swatch swatch-running", "aria-hidden": "true" }),
      el("span", {}, t("legend.running"))),
  );
}

/** The sentence the inspector shows for a tensor's role. */
export const roleDescription = (role) => t(`role.${role}`);
