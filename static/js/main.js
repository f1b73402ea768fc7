// The playground page: builds each view and wires them together. No logic of its own beyond that.

import { $, $$, on } from "./dom.js";
import { fetchExamples } from "./api.js";
import { createEditor } from "./editor.js";
import { createGraphView } from "./graph-view.js";
import { bindGraphToolbar } from "./graph-toolbar.js";
import { createInspector } from "./inspector.js";
import { createStepper } from "./stepper.js";
import { createOutput } from "./output.js";
import { createSession } from "./session.js";
import { createShareDialog } from "./share-dialog.js";
import { renderLegend } from "./legend.js";
import { decodeFragment, encodeProgram, copyText, playgroundUrl } from "./share.js";
import { exportDot, exportJson, exportPng, exportSvg } from "./export.js";
import { lang, onLanguageChange, pick, setLanguage, t, translatePage } from "./i18n.js";

translatePage();

const editor = createEditor($("#editor"), { label: t("panel.program") });
const graphView = createGraphView($("#graph-viewport"));
const toolbar = bindGraphToolbar($(".graph-toolbar"), graphView, { onMode: (mode) => renderLegend($("#legend-list"), mode) });
const inspector = createInspector($("#inspector"));
const stepper = createStepper($("#stepper"));
const output = createOutput({ status: $("#status"), error: $("#error"), stdout: $("#stdout") });
const session = createSession({ editor, graphView, inspector, stepper, output, message: $("#graph-message") });
const shareDialog = createShareDialog($("#share-dialog"));
const examplePicker = $("#examples");
const exampleText = $("#example-description");
let examples = [];

renderLegend($("#legend-list"), graphView.mode);
void toolbar;

// --- examples -------------------------------------------------------------------------------
function paintExamples() {
  const chosen = examplePicker.value;
  examplePicker.replaceChildren(
    new Option(t("toolbar.custom"), ""),
    ...examples.map((example) => new Option(pick(example.title), example.id)),
  );
  examplePicker.value = chosen;
  const example = examples.find((e) => e.id === chosen);
  exampleText.textContent = example ? pick(example.description) : "";
  exampleText.hidden = !example;
}

function loadExample(id) {
  const example = examples.find((e) => e.id === id);
  examplePicker.value = example ? id : "";
  paintExamples();
  if (!example) return;
  editor.setValue(example.code.trimEnd() + "\n");
  session.run();
}

on(examplePicker, "change", () => loadExample(examplePicker.value));
// Once the program is no longer the example, the picker says so.
editor.bind("change", (code) => {
  const example = examples.find((e) => e.id === examplePicker.value);
  if (example && code.trimEnd() !== example.code.trimEnd()) {
    examplePicker.value = "";
    paintExamples();
  }
});

// --- share: the program lives in the URL fragment ----------------------------------------------
session.bind("ran", async (graph, code) => {
  const fragment = await encodeProgram(code);
  if (location.hash.slice(1) !== fragment) history.replaceState(null, "", `#${fragment}`);
});

async function loadFromFragment() {
  const code = await decodeFragment(location.hash);
  if (code === null) return false;
  editor.setValue(code);
  const match = examples.find((e) => e.code.trimEnd() === code.trimEnd());
  examplePicker.value = match ? match.id : "";
  paintExamples();
  session.run();
  return true;
}

on(window, "hashchange", async () => {
  const code = await decodeFragment(location.hash);
  if (code !== null && code !== session.code) loadFromFragment();
});

on($("#share-button"), "click", async () => {
  const code = editor.getValue();
  const fragment = await encodeProgram(code);
  history.replaceState(null, "", `#${fragment}`);
  const size = graphView.naturalSize();
  shareDialog.open({ fragment, code, height: Math.round(Math.min(640, Math.max(320, size.h + 260))) });
  // Best effort: the dialog shows the link either way.
  if (await copyText(playgroundUrl(fragment))) shareDialog.copied();
});

// --- export ---------------------------------------------------------------------------------
const exportMenu = $("#export-menu");
for (const button of $$("[data-export]", exportMenu)) {
  on(button, "click", async () => {
    exportMenu.open = false;
    const graph = session.graph;
    if (!graph) return;
    const kind = button.dataset.export;
    try {
      if (kind === "svg") exportSvg(graphView.svgText());
      if (kind === "png") await exportPng(graphView.svgText());
      if (kind === "dot") exportDot(graph.dot ?? "");
      if (kind === "json") exportJson(graph, session.code);
    } catch (exc) {
      $("#status").textContent = t("export.failed", { message: exc.message ?? String(exc) });
    }
  });
}
on(document, "click", (event) => {
  if (exportMenu.open && !exportMenu.contains(event.target)) exportMenu.open = false;
});
on(exportMenu, "keydown", (event) => {
  if (event.key === "Escape" && exportMenu.open) {
    exportMenu.open = false;
    $("summary", exportMenu).focus();
  }
});

// --- run, keyboard, language ----------------------------------------------------------------
on($("#run"), "click", () => session.run());
if (/Mac|iPhone|iPad/.test(navigator.platform)) $("#run .kbd").textContent = "⌘ ↵";
on(document, "keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && !event.defaultPrevented) {
    event.preventDefault();
    session.run();
  }
});

const languagePicker = $("#language");
languagePicker.value = lang();
on(languagePicker, "change", () => setLanguage(languagePicker.value));
onLanguageChange(() => {
  languagePicker.value = lang();
  paintExamples();
  renderLegend($("#legend-list"), graphView.mode);
  stepper.relabel();
  output.relabel();
  session.relabel();
  graphView.relabel();
});

// --- start: the program in the link, else the first example ------------------------------------
(async () => {
  try {
    examples = await fetchExamples();
  } catch (exc) {
    exampleText.hidden = false;
    exampleText.textContent = t("error.examples", { message: exc.message });
  }
  paintExamples();
  document.body.dataset.ready = "examples";
  if (!(await loadFromFragment()) && examples.length) loadExample(examples[0].id);
})();
