// The loss curve: every backward root's value per call (the answer's `curve`), drawn as a small
// SVG chart, on a log scale when the values span more than two decades. Shown only with at least
// two values. The chosen iteration is marked; a click, or ← / → / Home / End on the focused
// chart, picks a call (onPick(call)). The chart is an image to assistive technology, named by its
// first, last and smallest values.

import { el, on, svg } from "./dom.js";
import { t } from "./i18n.js";

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 46, right: 8, top: 8, bottom: 30 };
const LOG_SPAN = 100; // max / min above this: log scale

/** A number as a short label: 4 significant digits. */
export const short = (value) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : String(Number(value.toPrecision(4))));

/** The points of `curve` that have a value, and the scale they are drawn on. */
export function curveScale(curve) {
  const points = curve.filter((point) => typeof point.value === "number" && Number.isFinite(point.value));
  const values = points.map((point) => point.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const log = min > 0 && max / min > LOG_SPAN;
  return { points, min, max, log };
}

export function createLossCurve({ onPick = () => {} } = {}) {
  const chart = svg("svg", { class: "loss-curve-svg", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", tabindex: "0", "data-testid": "loss-curve" });
  const element = el("figure", { class: "loss-curve", hidden: true }, chart);
  let scale = null;
  let marked = null;
  let toX = () => 0;
  let toCall = () => 0;

  function describe() {
    if (!scale) return "";
    const { points, min } = scale;
    const at = points.find((point) => point.value === min);
    return t("curve.label", {
      n: points.length,
      first: short(points[0].value),
      last: short(points[points.length - 1].value),
      min: short(min),
      call: at.call,
      scale: scale.log ? t("curve.log") : "",
    }).trim();
  }

  function draw() {
    if (!scale) {
      chart.replaceChildren();
      return;
    }
    const { points, min, max, log } = scale;
    const first = points[0].call;
    const last = points[points.length - 1].call;
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    toX = (call) => PAD.left + (last === first ? plotW / 2 : ((call - first) / (last - first)) * plotW);
    toCall = (x) => first + ((x - PAD.left) / plotW) * (last - first);
    const f = (value) => (log ? Math.log10(value) : value);
    const lo = f(min);
    const hi = f(max);
    const toY = (value) => PAD.top + (hi === lo ? plotH / 2 : (1 - (f(value) - lo) / (hi - lo)) * plotH);
    const bottom = PAD.top + plotH;
    const path = points.map((p, i) => `${i ? "L" : "M"}${toX(p.call).toFixed(1)},${toY(p.value).toFixed(1)}`).join("");
    const text = (x, y, content, attrs = {}) => svg("text", { x, y, class: "loss-curve-text", ...attrs }, content);
    const parts = [
      svg("rect", { class: "loss-curve-plot", x: PAD.left, y: PAD.top, width: plotW, height: plotH }),
      svg("path", { class: "loss-curve-line", d: path, "data-testid": "loss-curve-line", "data-points": String(points.length) }),
      text(PAD.left - 4, PAD.top + 8, short(max), { "text-anchor": "end" }),
      text(PAD.left - 4, bottom, short(min), { "text-anchor": "end" }),
      text(PAD.left, bottom + 11, String(first), { "text-anchor": "start" }),
      text(WIDTH - PAD.right, bottom + 11, String(last), { "text-anchor": "end" }),
      text(PAD.left + plotW / 2, HEIGHT - 3, t("curve.x_axis"), { "text-anchor": "middle", "data-testid": "loss-curve-x-axis" }),
      text(10, PAD.top + plotH / 2, t(log ? "curve.y_axis_log" : "curve.y_axis"), {
        "text-anchor": "middle",
        transform: `rotate(-90 10 ${PAD.top + plotH / 2})`,
        "data-testid": "loss-curve-y-axis",
      }),
    ];
    const point = points.find((p) => p.call === marked);
    if (marked !== null && marked >= first && marked <= last) {
      const x = toX(marked);
      parts.push(svg("line", { class: "loss-curve-mark", x1: x, x2: x, y1: PAD.top, y2: bottom, "data-testid": "loss-curve-mark", "data-call": String(marked) }));
      if (point) parts.push(svg("circle", { class: "loss-curve-dot", cx: x, cy: toY(point.value), r: 3 }));
    }
    chart.replaceChildren(...parts);
  }

  function pickAt(event) {
    if (!scale) return;
    const rect = chart.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * WIDTH;
    onPick(Math.round(toCall(x)));
  }

  on(chart, "click", pickAt);
  on(chart, "keydown", (event) => {
    if (!scale) return;
    const calls = scale.points.map((p) => p.call);
    const at = marked ?? calls[calls.length - 1];
    const pick = {
      ArrowLeft: () => onPick(at - 1, -1),
      ArrowRight: () => onPick(at + 1, 1),
      Home: () => onPick(calls[0]),
      End: () => onPick(calls[calls.length - 1]),
    }[event.key];
    if (!pick) return;
    event.preventDefault();
    pick();
  });

  return {
    element,
    /** Draw `curve` ([{call, line, value}]); hidden with fewer than two values. */
    render(curve) {
      const next = curveScale(curve ?? []);
      scale = next.points.length >= 2 ? next : null;
      element.hidden = !scale;
      chart.setAttribute("aria-label", describe());
      draw();
    },
    /** Mark call `call` (null: none). */
    mark(call) {
      marked = call;
      draw();
    },
    relabel() {
      chart.setAttribute("aria-label", describe());
      draw();
    },
    get shown() {
      return Boolean(scale);
    },
  };
}
