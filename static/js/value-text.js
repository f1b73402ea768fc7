// Tensor values as a person reads them on the graph and in captions: a scalar or a small tensor
// in full, as PyTorch prints its numbers ("2.", "[2., 4.]"); a larger one as its shape with a
// short summary (mean and norm, when the answer carries its numbers). No DOM here.

import { t } from "./i18n.js";

const FULL_ELEMENTS = 8;
const FULL_CHARS = 30;

/** PyTorch's printed numbers without the "tensor(...)" around them: "tensor([2., 4.])" -> "[2., 4.]". */
export function printedNumbers(value) {
  let text = value.text.replace(/,\s*(grad_fn|requires_grad|dtype)=[^)]*\)?/g, "");
  text = text.replace(/^tensor\(/, "").replace(/\)$/, "").replace(/\s+/g, " ").trim();
  return text.replace(/\[ /g, "[").replace(/ \]/g, "]");
}

const numel = (shape) => shape.reduce((n, d) => n * d, 1);
export const shapeText = (shape) => `[${shape.join(", ")}]`;

function flat(data) {
  return Array.isArray(data) ? data.flatMap(flat) : [data];
}

const round = (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));

/**
 * The value in a few characters: in full when small, else its shape, mean and norm (or its
 * shape alone); `shape: false` leaves the shape out where it is shown already (on its node).
 */
export function shortValue(value, { shape: withShape = true } = {}) {
  if (!value) return "None";
  const full = printedNumbers(value);
  if (numel(value.shape) <= FULL_ELEMENTS && full.length <= FULL_CHARS) return full;
  const shape = shapeText(value.shape);
  const numbers = value.data == null ? [] : flat(value.data).map(Number);
  if (!numbers.length || numbers.some((x) => Number.isNaN(x))) return withShape ? shape : "…";
  const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
  const norm = Math.sqrt(numbers.reduce((a, b) => a + b * b, 0));
  const summary = t("values.summary", { shape: "", mean: round(mean), norm: round(norm) }).trim();
  return withShape ? `${shape} ${summary}` : summary;
}

/** The shape two shapes broadcast to (the longer one's length, the larger size per place). */
export function broadcastShape(a, b) {
  const n = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(Math.max(x, y));
  }
  return out;
}

export { numel };
