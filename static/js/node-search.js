// Find nodes: a search box over the graph that matches variable names, op names, module paths
// (`module`, `module_type` when the answer has them) and source lines ("line 5", "5", ":5",
// "第5行"). The matches are lit in the graph (the view's "search" overlay), the view pans to the
// current one; Enter / Shift+Enter go to the next / previous match, Esc clears.
//
// matchNodes() is the pure part; createSearchOverlay() marks the matches on a drawing;
// createNodeSearch() is the box.

import { el, emitter, on } from "./dom.js";
import { t } from "./i18n.js";
import { nodeLabel } from "./labels.js";

const LINE_QUERY = /^(?:line\s*|:|第\s*)?(\d+)\s*行?$/i;

/** The words a node is found by, lower case. */
function words(node) {
  const found = [node.op, node.label, node.name, ...(node.names ?? []), node.module, node.module_type, nodeLabel(node)];
  return found.filter((word) => typeof word === "string" && word).map((word) => word.toLowerCase());
}

/** The nodes of `model` that `query` finds, in the answer's order: their ids. */
export function matchNodes(model, query) {
  const text = query.trim().toLowerCase();
  if (!text) return [];
  const line = LINE_QUERY.exec(text);
  if (line) {
    const number = Number(line[1]);
    return model.nodes.filter((node) => node.line === number).map((node) => node.id);
  }
  return model.nodes.filter((node) => words(node).some((word) => word.includes(text))).map((node) => node.id);
}

/** The graph view's overlay that marks the matches (state: {ids: Set, current: id or null}). */
export function createSearchOverlay() {
  const clear = (root) => {
    for (const group of root.querySelectorAll(".is-search-match")) group.classList.remove("is-search-match", "is-search-current");
  };
  return {
    name: "search",
    apply(root, model, state) {
      clear(root);
      const find = (key) => root.getElementById?.(key) ?? root.querySelector(`[id="${CSS.escape(key)}"]`);
      for (const id of state.ids) {
        const group = find(id) ?? (model.shownAs ? find(model.shownAs(id)) : null); // or the module folding it
        if (!group?.classList.contains("node")) continue;
        group.classList.add("is-search-match");
        if (id === state.current) group.classList.add("is-search-current");
      }
    },
    clear,
  };
}

/**
 * The search box, for the graph view of `session`'s model. `reveal(id)` runs before the view pans
 * to a match (the iteration panel uses it to show the match's iteration).
 * Events (bind): "change" (the current match's id, or null).
 */
export function createNodeSearch({ session, graphView, reveal = () => {} }) {
  const events = emitter();
  const input = el("input", {
    type: "search",
    class: "node-search-input",
    "aria-label": t("search.label"),
    "data-i18n-aria": "search.label",
    placeholder: t("search.placeholder"),
    autocomplete: "off",
    spellcheck: "false",
    "data-testid": "node-search",
  });
  const count = el("output", { class: "node-search-count", "aria-live": "polite", "data-testid": "node-search-count" });
  const element = el("div", { class: "node-search", role: "search" }, input, count);
  let ids = [];
  let at = -1;

  function paint() {
    const query = input.value.trim();
    count.textContent = !query ? "" : ids.length ? t("search.count", { n: at + 1, total: ids.length }) : t("search.none");
    const current = ids[at] ?? null;
    graphView.showOverlay("search", ids.length ? { ids: new Set(ids), current } : null);
    events.emit("change", current);
  }

  function go(index) {
    at = ids.length ? (index + ids.length) % ids.length : -1;
    const current = ids[at];
    if (current) reveal(current);
    paint(); // after reveal: a new iteration redraws no nodes, but hides others
    if (current) graphView.revealNode(current);
  }

  function find() {
    const model = session.model;
    ids = model ? matchNodes(model, input.value) : [];
    go(0);
  }

  function clear() {
    input.value = "";
    ids = [];
    at = -1;
    paint();
  }

  on(input, "input", find);
  on(input, "keydown", (event) => {
    if (event.key === "Enter") {
      if (event.ctrlKey || event.metaKey) return; // the page's Run shortcut
      event.preventDefault();
      go(at + (event.shiftKey ? -1 : 1));
    } else if (event.key === "Escape") {
      event.preventDefault();
      clear();
    }
  });
  session.bind("ran", () => (input.value.trim() ? find() : clear()));
  session.bind("refused", clear);

  return {
    element,
    bind: events.bind,
    relabel() {
      input.setAttribute("aria-label", t("search.label"));
      input.placeholder = t("search.placeholder");
      paint();
    },
  };
}
