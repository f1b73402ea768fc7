// Folding by module on the page: which modules and runs are open (module-fold.js), what a new
// graph opens with, and the toolbar's two buttons: "Fold back" (the module opened last) and
// "Unfold all". The graph view asks view(model) for what to draw, opens a folded module when it
// is clicked or gets Enter (open), and redraws on "change"; the search box and the stepper ask
// reveal(id) to open what hides a node.
//
// A training loop shown one iteration at a time (iterations.js) is not folded: its iteration
// is what keeps it small.

import { el, emitter } from "./dom.js";
import { t } from "./i18n.js";
import { iterationsOf } from "./iterations.js";
import { FOLD_DRAW_MAX, FOLD_LIMIT, firstOpened, foldOf, foldedView, hasModules, moduleTree, opening } from "./module-fold.js";

export function createModuleFolding({ limit = FOLD_LIMIT } = {}) {
  const events = emitter();
  let source = null; // the graph model of the answer shown
  let tree = null; // its module tree, or null: the graph is shown whole
  let opened = new Set(); // module paths and run keys
  let history = []; // what the learner (or a search) opened, in order
  let rows = new Map(); // the answer's module table by path
  let view = null;

  const button = (key, testId, onClick) =>
    el("button", { type: "button", class: "button fold-button", "data-i18n": key, "data-testid": testId, on: { click: onClick } }, t(key));
  const back = button("fold.back", "fold-back", () => foldBack());
  const all = button("fold.unfold_all", "unfold-all", () => unfoldAll());
  const element = el("div", { class: "fold-controls", role: "group", "aria-label": t("fold.controls"), "data-i18n-aria": "fold.controls" }, back, all);

  function paint() {
    element.hidden = !tree;
    back.disabled = !history.length;
    all.disabled = !tree || !view?.folded || view.nodes.length > FOLD_DRAW_MAX;
  }

  function load(model) {
    source = model;
    view = null;
    tree = null;
    opened = new Set();
    history = [];
    rows = new Map((model?.source?.modules ?? []).map((row) => [row.path, row]));
    // A graph no module made (a 20,000-node chain) skips the module tree: one look at its nodes.
    if (model?.nodes.length > limit && hasModules(model) && !iterationsOf(model).length) {
      const candidate = moduleTree(model);
      const first = firstOpened(candidate, model.nodes.length, limit);
      if (first !== null) {
        tree = candidate;
        opened = first;
      }
    }
  }

  function change() {
    view = null;
    events.emit("change");
    paint();
  }

  function open(keys) {
    const added = keys.filter((key) => !opened.has(key));
    for (const key of added) {
      opened.add(key);
      history.push(key);
    }
    if (added.length) change();
    return added.length > 0;
  }

  function foldBack() {
    const key = history.pop();
    if (key === undefined) return;
    opened.delete(key);
    change();
  }

  function unfoldAll() {
    if (!tree) return;
    open([...tree.modules.keys(), ...tree.runs.keys()]);
  }

  paint();
  return {
    bind: events.bind,
    element,
    /** What the graph view draws for `model`: the model folded, or the model itself. */
    view(model) {
      if (model !== source) load(model);
      if (!tree) return model;
      view ??= foldedView(model, tree, opened, rows);
      paint();
      // Opened past what the folded drawing lays out well: the views' own drawing of the whole.
      return view.folded && view.nodes.length <= FOLD_DRAW_MAX ? view : model;
    },
    /** Open the folded module or run shown as `id`; whether it was one. */
    open(id) {
      const what = tree && foldOf(id);
      if (!what) return false;
      return open([what.kind === "run" ? what.key : what.path]);
    },
    /** Open whatever hides node `id`; whether anything opened. */
    reveal(id) {
      if (!tree || !source?.hasNode(id)) return false;
      return open(opening(tree, id));
    },
    foldBack,
    unfoldAll,
    relabel() {
      element.setAttribute("aria-label", t("fold.controls"));
      back.textContent = t("fold.back");
      all.textContent = t("fold.unfold_all");
    },
  };
}
