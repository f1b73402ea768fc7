// The Export menu: saves the current graph as SVG, PNG, DOT or JSON (export.js makes the files).
// It closes on a choice, on a click outside it, and on Escape (focus back on its button).
//
// Events (bind): "failed" (the error's message).

import { $, $$, emitter, on } from "./dom.js";
import { exportDot, exportJson, exportPng, exportSvg } from "./export.js";

/** current: {graph(), code(), svgText()}: the answer shown, its program, and its picture. */
export function bindExportMenu(menu, current) {
  const events = emitter();

  async function save(kind) {
    const graph = current.graph();
    if (!graph) return;
    try {
      if (kind === "svg") exportSvg(current.svgText());
      if (kind === "png") await exportPng(current.svgText());
      if (kind === "dot") exportDot(graph.dot ?? "");
      if (kind === "json") exportJson(graph, current.code());
    } catch (exc) {
      events.emit("failed", exc.message ?? String(exc));
    }
  }

  for (const button of $$("[data-export]", menu)) {
    on(button, "click", () => {
      menu.open = false;
      return save(button.dataset.export);
    });
  }
  on(document, "click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  on(menu, "keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      $("summary", menu).focus();
    }
  });

  return { bind: events.bind };
}
