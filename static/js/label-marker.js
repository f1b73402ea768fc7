// The marker an overlay label folds into when label-layout.js finds it no free place: a small
// box, in the label's own colours, that reads the label's first word and "…" ("∂…", "=…",
// ".grad…"). Everything else of the label stays: its <title> (the full text, shown as the
// marker's tooltip) and its lines, hidden, so unfolding gives back the label as it was drawn.

import { svg } from "./dom.js";

const FONT = 9; // the overlay labels' font size (step-overlay.js)
const FOLDED = "data-unfolded"; // on a marker: its rect's x y width height as drawn
const SIDES = ["x", "y", "width", "height"];

/** The marker `label` would fold into: its text, and its box where the label's rect starts. */
export function markerOf(label) {
  const rect = label.querySelector("rect");
  const text = `${(label.querySelector("text")?.textContent ?? "").trim().split(/\s+/)[0].slice(0, 5)}…`;
  return { text, size: { x: Number(rect.getAttribute("x")), y: Number(rect.getAttribute("y")), w: text.length * FONT * 0.62 + 8, h: FONT + 6 } };
}

/** Fold `label` into `marker` (from markerOf). */
export function fold(label, { text, size }) {
  const rect = label.querySelector("rect");
  label.setAttribute(FOLDED, SIDES.map((name) => rect.getAttribute(name)).join(" "));
  for (const line of label.querySelectorAll("text")) line.setAttribute("display", "none");
  rect.setAttribute("width", size.w);
  rect.setAttribute("height", size.h);
  label.classList.add("is-marker");
  label.append(svg("text", { class: "label-marker", x: size.x + 4, y: size.y + size.h / 2 + FONT * 0.35, "font-size": FONT }, text));
}

/** Give back the label a marker was folded from (a label that is not folded is left alone). */
export function unfold(label) {
  const drawn = label.getAttribute(FOLDED)?.split(" ");
  if (!drawn) return;
  const rect = label.querySelector("rect");
  SIDES.forEach((name, i) => rect.setAttribute(name, drawn[i]));
  label.querySelector(".label-marker")?.remove();
  for (const line of label.querySelectorAll("text")) line.removeAttribute("display");
  label.classList.remove("is-marker");
  label.removeAttribute(FOLDED);
}
