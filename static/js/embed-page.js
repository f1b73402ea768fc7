// The /embed page: the graph first, the code folded away (read-only unless ?edit=1), sized to its
// content, and telling the parent page its height (static/embed.js listens for it).

import { $ } from "./dom.js";
import { bindRun, createViews } from "./views.js";
import { decodeFragment, encodeProgram } from "./share.js";

const GRAPH_HEIGHT = { min: 180, max: 560, maxZoom: 1.3 };

const params = new URLSearchParams(location.search);
const editable = params.get("edit") === "1";
const codeBox = $("#code-details");

const { editor, graphView, output, session } = createViews({
  readOnly: !editable,
  wheel: "ctrl",
  hideEmptyInspector: true,
  hideEmptyStdout: true,
  onMode: () => graphView.sizeToContent(GRAPH_HEIGHT),
});
$("#run-row").hidden = !editable;
if (editable) bindRun($("#run"), session);

function postHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (window.parent !== window) window.parent.postMessage({ type: "autograd-viz:height", height }, "*");
}
new ResizeObserver(postHeight).observe(document.documentElement);

session.bind("ran", async (graph, code) => {
  graphView.sizeToContent(GRAPH_HEIGHT);
  const fragment = await encodeProgram(code);
  $("#open-playground").href = `/#${fragment}`;
  document.body.dataset.ready = "graph";
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
    session.showMessage("graph.empty");
    codeBox.open = editable;
    document.body.dataset.ready = "empty";
    return;
  }
  editor.setValue(code);
  session.run();
})();
