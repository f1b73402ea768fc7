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

let link = null;
const { editor, graphView, stepper, output, session, exercise, showView } = createViews({
  exerciseSwitch: true,
  onMode: () => link?.refresh(),
});
const picker = createExamplePicker($("#examples"), $("#example-description"));
link = bindProgramLink(session, { state: () => ({ view: graphView.mode, ...stepper.position, exercise: exercise.choice }) });
stepper.bind("change", () => link.refresh());
exercise.bind("change", () => link.refresh());
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

function openProgram(code, view) {
  editor.setValue(code);
  picker.match(code);
  if (view) showView(view);
  session.run();
}
link.bind("program", openProgram);

// --- share, export, run, language ---------------------------------------------------------------
on($("#share-button"), "click", async () => {
  const code = editor.getValue();
  const fragment = await link.put(code);
  shareDialog.share({ fragment, code, exercise: exercise.choice, graphHeight: graphView.naturalSize().h });
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
document.title = t("app.title");
onLanguageChange(() => {
  picker.relabel();
  document.title = t("app.title");
});

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
  if (code !== null) openProgram(code, link.view());
  else if (picker.first()) picker.choose(picker.first().id);
})();
