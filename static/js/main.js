// The playground page: builds each view and wires them together. No logic of its own beyond that.

import { $, on } from "./dom.js";
import { fetchExamples } from "./api.js";
import { bindRun, createViews } from "./views.js";
import { createExamplePicker } from "./examples-picker.js";
import { bindProgramLink } from "./program-link.js";
import { createShareDialog } from "./share-dialog.js";
import { bindExportMenu } from "./export-menu.js";
import { bindLanguagePicker, onLanguageChange, t } from "./i18n.js";
import { createSplitter } from "./splitter.js";

const { editor, graphView, output, session } = createViews();
const picker = createExamplePicker($("#examples"), $("#example-description"));
const link = bindProgramLink(session);
const shareDialog = createShareDialog($("#share-dialog"));
const exportMenu = bindExportMenu($("#export-menu"), {
  graph: () => session.graph,
  code: () => session.code,
  svgText: () => graphView.svgText(),
});

// --- programs: an example, or the one in the link ---------------------------------------------
picker.bind("choose", (example) => {
  editor.setValue(example.code.trimEnd() + "\n");
  session.run();
});
editor.bind("change", (code) => picker.edited(code));

function openProgram(code) {
  editor.setValue(code);
  picker.match(code);
  session.run();
}
link.bind("program", openProgram);

// --- share, export, run, language ---------------------------------------------------------------
on($("#share-button"), "click", async () => {
  const code = editor.getValue();
  const fragment = await link.put(code);
  shareDialog.share({ fragment, code, graphHeight: graphView.naturalSize().h });
});
exportMenu.bind("failed", (message) => output.notice(t("export.failed", { message })));
bindRun($("#run"), session, { shortcut: true });
bindLanguagePicker($("#language"));
createSplitter($("#code-splitter"), {
  layout: $(".workspace"),
  panel: $("#program-panel"),
  property: "--code-width",
  storageKey: "autograd-viz.code-width",
  rest: 620, // the graph at 330 px and the inspector at 250 px, with the gaps
});
onLanguageChange(() => picker.relabel());

// --- start: the program in the link, else the first example ------------------------------------
(async () => {
  let examples = [];
  try {
    examples = await fetchExamples();
  } catch (exc) {
    picker.failed(exc.message);
  }
  picker.setExamples(examples);
  document.body.dataset.ready = "examples";
  const code = await link.read();
  if (code !== null) openProgram(code);
  else if (picker.first()) picker.choose(picker.first().id);
})();
