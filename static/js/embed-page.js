// The /embed page: the graph first, the code folded away (read-only unless ?edit=1), sized to its
// content, and telling the parent page its height (static/embed.js listens for it).

import { $, on } from "./dom.js";
import { createEditor } from "./editor.js";
import { createGraphView } from "./graph-view.js";
import { bindGraphToolbar } from "./graph-toolbar.js";
import { createInspector } from "./inspector.js";
import { createStepper } from "./stepper.js";
import { createOutput } from "./output.js";
import { createSession } from "./session.js";
import { renderLegend } from "./legend.js";
import { decodeFragment, encodeProgram } from "./share.js";
import { t, translatePage } from "./i18n.js";

const MIN_GRAPH_PX = 180;
const MAX_GRAPH_PX = 560;
const MAX_ZOOM = 1.3;

translatePage();

const params = new URLSearchParams(location.search);
const editable = params.get("edit") === "1";
const viewport = $("#graph-viewport");
const codeBox = $("#code-details");

const editor = createEditor($("#editor"), { readOnly: !editable, label: t("panel.program") });
const graphView = createGraphView(viewport, { wheel: "ctrl" });
bindGraphToolbar($(".graph-toolbar"), graphView, { onMode: (mode) => {
  renderLegend($("#legend-list"), mode);
  sizeGraph();
} });
const inspector = createInspector($("#inspector"), { hideWhenEmpty: true });
const stepper = createStepper($("#stepper"));
const output = createOutput({ status: $("#status"), error: $("#error"), stdout: $("#stdout") });
const session = createSession({ editor, graphView, inspector, stepper, output, message: $("#graph-message") });
renderLegend($("#legend-list"), graphView.mode);
$("#run-row").hidden = !editable;
if (editable) on($("#run"), "click", () => session.run());

/** Give the graph the height it needs at this width, within bounds. */
function sizeGraph() {
  const width = viewport.clientWidth || 600;
  const height = Math.round(Math.min(MAX_GRAPH_PX, Math.max(MIN_GRAPH_PX, graphView.fitHeight(width, MAX_ZOOM))));
  viewport.style.setProperty("--graph-height", `${height}px`);
}

function postHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (window.parent !== window) window.parent.postMessage({ type: "autograd-viz:height", height }, "*");
}
new ResizeObserver(postHeight).observe(document.documentElement);

session.bind("ran", async (graph, code) => {
  sizeGraph();
  const fragment = await encodeProgram(code);
  $("#open-playground").href = `/#${fragment}`;
  document.body.dataset.ready = "graph";
  $("#stdout").hidden = !graph.stdout;
  if (graph.error) codeBox.open = true;
});
session.bind("refused", () => {
  codeBox.open = true;
  document.body.dataset.ready = "error";
});
output.bind("line", () => {
  codeBox.open = true;
});

(async () => {
  const code = await decodeFragment(location.hash);
  if (code === null) {
    $("#graph-message").textContent = t("graph.empty");
    codeBox.open = editable;
    document.body.dataset.ready = "empty";
    return;
  }
  editor.setValue(code);
  session.run();
})();
