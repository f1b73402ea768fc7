// Two inspector sections for a tensor: where the program bound it (which binding is current, in
// which function, which loop iteration) and how its flags changed over the run (as built, before
// each backward pass, at the end). Both read the answer's `bindings` and `states` fields.

import { el } from "./dom.js";
import { t } from "./i18n.js";

const py = (value) => (value === true ? "True" : value === false ? "False" : value == null ? "None" : String(value));

/** The "Names" section: one line per binding; `goTo(id, label)` makes a button to another node. */
export function bindingsSection(node, model, goTo) {
  const bindings = node.bindings ?? [];
  if (!bindings.length) return null;
  const variables = model.source?.variables ?? {};
  const items = bindings.map((b) => {
    const parts = [el("code", { class: "pyval" }, b.name)];
    const facts = [];
    if (b.line != null) facts.push(t("names.line", { line: b.line }));
    if (b.iteration != null) facts.push(t("names.iteration", { n: b.iteration, of: b.of }));
    facts.push(b.scope == null ? t("names.module") : t("names.scope", { scope: b.scope }));
    parts.push(" ", el("span", { class: "muted small" }, facts.join(t("names.sep"))));
    if (b.current) {
      parts.push(" ", el("span", { class: "name-chip name-current", "data-testid": "binding-current" }, t("names.current")));
    } else if (b.scope == null && variables[b.name] && variables[b.name] !== node.id) {
      parts.push(" ", el("span", { class: "muted small" }, t("names.rebound")), " ", goTo(variables[b.name], `→ ${b.name}`));
    } else if (b.scope != null) {
      parts.push(" ", el("span", { class: "muted small" }, t("names.local")));
    }
    return el("li", { "data-testid": "binding" }, ...parts);
  });
  return el(
    "section",
    { class: "inspector-section", "data-testid": "inspector-bindings" },
    el("h3", {}, t("names.title")),
    el("ul", { class: "binding-list" }, ...items),
  );
}

function momentText(state) {
  if (state.moment === "built") return state.line != null ? t("history.built_line", { line: state.line }) : t("history.built");
  if (state.moment === "backward") return t("history.backward", { pass: state.backward_pass + 1 });
  return t("history.end");
}

/** The "History" section: the tensor's flags at each moment they changed (absent if never). */
export function statesSection(node) {
  const states = node.states ?? [];
  if (states.length < 2) return null;
  const head = el(
    "tr",
    {},
    ...["history.moment", "inspector.requires_grad", "inspector.is_leaf", "inspector.grad_fn", "inspector.version"].map((key) =>
      el("th", { scope: "col" }, t(key)),
    ),
  );
  const rows = states.map((s) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, momentText(s)),
      el("td", {}, el("code", {}, py(s.requires_grad))),
      el("td", {}, el("code", {}, py(s.is_leaf))),
      el("td", {}, el("code", {}, s.grad_fn ? `<${s.grad_fn}>` : "None")),
      el("td", {}, el("code", {}, s.version == null ? "None" : String(s.version))),
    ),
  );
  return el(
    "section",
    { class: "inspector-section", "data-testid": "inspector-history" },
    el("h3", {}, t("history.title")),
    el("p", { class: "muted small" }, t("history.note")),
    el("table", { class: "history-table" }, el("thead", {}, head), el("tbody", {}, ...rows)),
  );
}
