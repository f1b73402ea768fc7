// The controls above a graph: autograd / computation switch, zoom out, zoom in, fit.

import { $, $$, on } from "./dom.js";

export function bindGraphToolbar(toolbar, graphView, { onMode } = {}) {
  for (const radio of $$('input[name="view"]', toolbar)) {
    on(radio, "change", () => {
      if (!radio.checked) return;
      graphView.setMode(radio.value);
      onMode?.(radio.value);
    });
  }
  const actions = { "zoom-in": () => graphView.zoomBy(1.25), "zoom-out": () => graphView.zoomBy(0.8), fit: () => graphView.fit() };
  for (const button of $$("[data-action]", toolbar)) on(button, "click", () => actions[button.dataset.action]?.());
  return {
    /** Reflect a mode chosen elsewhere. */
    setMode(mode) {
      const radio = $(`input[name="view"][value="${mode}"]`, toolbar);
      if (radio) radio.checked = true;
    },
  };
}
