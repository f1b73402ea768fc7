// The chain rule of one backward step in numbers, as the stepper's caption and the inspector
// show it: the gradient coming in, and for each input the gradient going out, made from it by
// the op's local derivative ("14. × (2·x = 4.) = 56.") or, for matrix ops, by the rule in words
// and shapes ("grad @ W.T: [2, 4] @ [4, 3] -> [2, 3]"). The step's `incoming` and `chain` come
// from the API (app/walk/chain_rule.py holds the table); values are shortened by value-text.js.

import { el } from "./dom.js";
import { t } from "./i18n.js";
import { broadcastShape, numel, shortValue } from "./value-text.js";

/**
 * What a node is called in a sentence, told apart from others of the same name: its op or
 * label, with its line ("PowBackward0 (line 2)"), and its id when another node has the same
 * name on the same line ("MulBackward0 (line 3, n5)").
 */
export function distinctName(model, id) {
  const node = model.node(id);
  if (!node) return id;
  const name = model.name(id);
  const twin = model.twins(id);
  if (node.kind === "tensor" && !twin) return name;
  if (node.line && !twin) return name + t("stepper.on_line", { line: node.line });
  return name + (node.line ? t("names.line_id", { line: node.line, id }) : t("names.id", { id }));
}

const isNumber = (text) => /^[−-]?\d+(\.\d+)?(\/\d+)?$/.test(text ?? "");

/** Plain data: {incoming: [{value, from}], terms: [{to, kind, formula, local, incoming, out, shapes, note}]}. */
export function chainOf(model, pass, step) {
  const incoming = (step.incoming ?? []).map((grad) => ({
    value: grad.value,
    from: [...new Set(grad.edges.map((id) => model.edge(id)?.target).filter(Boolean))].map((id) => distinctName(model, id)),
  }));
  const received = step.incoming?.[0]?.value ?? null;
  const terms = (step.chain ?? []).map((term) => {
    const edge = term.edge ? model.edge(term.edge) : null;
    const out = term.edge ? model.gradOn(term.edge, pass.index) ?? null : null;
    let note = null;
    if (term.kind === "product" && received && term.local && out) {
      const made = numel(broadcastShape(received.shape, term.local.shape));
      if (numel(out.shape) < made) note = t("chain.summed");
      else if (numel(out.shape) > made) note = t("chain.spread");
    }
    return { ...term, to: edge ? distinctName(model, edge.source) : "?", incoming: received, out, note };
  });
  return { incoming, terms };
}

/** One term as text: "14. × (2·x = 4.) = 56." */
export function termText(term, op) {
  const out = term.out ? shortValue(term.out) : "—";
  if (term.kind === "product" && term.incoming) {
    const local = term.local ? shortValue(term.local) : null;
    const factor = !local ? term.formula : isNumber(term.formula) ? term.formula : `(${term.formula} = ${local})`;
    return `${shortValue(term.incoming)} × ${factor} = ${out}`;
  }
  if ((term.kind === "matrix" || term.kind === "shape") && term.formula) {
    return `${term.formula}: ${term.shapes ?? ""} = ${out}`.replace(":  =", " =");
  }
  if (term.kind === "rule" && term.formula) return `${term.formula} = ${out}`;
  return `${out} ${t("chain.other", { op })}`;
}

/** The chain rule of `step` (of `pass`) as a list: the gradient in, then each one out. */
export function renderChain(model, pass, step, { testId = "chain-rule" } = {}) {
  const { incoming, terms } = chainOf(model, pass, step);
  const op = model.node(step.node)?.op ?? "";
  const items = [];
  if (step.hook) {
    // A hook of the program's changed what arrived before the node used it.
    items.push(
      el(
        "li",
        { class: "chain-hook", "data-testid": "chain-hook" },
        t("chain.hook", { name: distinctName(model, step.hook.tensor), before: shortValue(step.hook.before), after: shortValue(step.hook.after) }),
      ),
    );
  }
  for (const grad of incoming) {
    items.push(
      el(
        "li",
        { class: "chain-in", "data-testid": "chain-incoming" },
        el("span", { class: "chain-tag" }, t("chain.in")),
        " ",
        el("code", { class: "chain-value" }, shortValue(grad.value)),
        grad.from.length ? ` ${t("chain.from", { list: grad.from.join(", ") })}` : "",
      ),
    );
  }
  for (const term of terms) {
    items.push(
      el(
        "li",
        { class: "chain-out", "data-testid": "chain-term", "data-edge": term.edge ?? "" },
        el("span", { class: "chain-tag" }, t("chain.to", { name: term.to })),
        " ",
        el("code", { class: "chain-value" }, termText(term, op)),
        term.note ? ` ${term.note}` : "",
      ),
    );
  }
  if (!items.length) return null;
  return el("ul", { class: "chain-list", "data-testid": testId }, ...items);
}
