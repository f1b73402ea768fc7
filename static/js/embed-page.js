// The /embed page: the graph and the teacher's code (read-only unless ?edit=1; ?code=hidden folds
// it away under "Code"), sized to its content, and telling the parent page its height
// (static/embed.js listens for it). Its language is ?lang= (embed.js passes the block's data-lang
// or the course page's lang), else the browser's: never the visitor's last choice in the
// playground. The fragment's view, pass, step and exercise fields (share.js) are shown as asked.

import { $ } from "./dom.js";
import { bindRun, createViews } from "./views.js";
import { decodeFragment, decodeView, encodeProgram } from "./share.js";
import { LANGUAGES, browserLanguage, setLanguage } from "./i18n.js";

const GRAPH_HEIGHT = { min: 180, max: 560, maxZoom: 1.3 };

const params = new URLSearchParams(location.search);
const editable = params.get("edit") === "1";
const codeShown = params.get("code") !== "hidden";
const codeBox = $("#code-details");
const asked = params.get("lang");
setLanguage(asked in LANGUAGES ? asked : browserLanguage(), { remember: false });

const { editor, graphView, output, session, showView } = createViews({
  readOnly: !editable,
  wheel: "ctrl",
  hideEmptyInspector: true,
  hideEmptyStdout: true,
  onMode: () => graphView.sizeToContent(GRAPH_HEIGHT),
});
$("#run-row").hidden = !editable;
if (editable) bindRun($("#run"), session);
codeBox.open = codeShown;

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
  showView(decodeView(location.hash));
  session.run();
})();
