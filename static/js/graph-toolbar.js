// The controls above a graph: autograd / computation switch, zoom out, zoom in, fit, and the
// values switch (each tensor's value and .grad on the graph; off makes dense graphs readable).

import { $, $$, el, on } from "./dom.js";
import { t } from "./i18n.js";

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
  const values = el(
    "button",
    {
      type: "button",
      class: "toggle-button",
      "aria-pressed": String(graphView.valuesShown),
      title: t("values.toggle_title"),
      "data-i18n": "values.toggle",
      "data-i18n-title": "values.toggle_title",
      "data-testid": "values-toggle",
      on: { click: () => graphView.setValues(values.getAttribute("aria-pressed") !== "true") },
    },
    t("values.toggle"),
  );
  const zoom = $(".toolbar-group", toolbar);
  if (zoom) zoom.before(values);
  else toolbar.append(values);
  graphView.bind("values", (shown) => values.setAttribute("aria-pressed", String(shown)));
  return {
    /** Reflect a mode chosen elsewhere. */
    setMode(mode) {
      const radio = $(`input[name="view"][value="${mode}"]`, toolbar);
      if (radio) radio.checked = true;
    },
  };
}
