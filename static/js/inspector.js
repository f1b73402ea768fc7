// The inspector: everything PyTorch stores on the selected node, in PyTorch's own words. It reads
// the node's edges and neighbours from the graph model (graph-model.js). With the backward
// stepper somewhere in a pass (ctx.at: stepper.overlayAt's state), .grad, the gradients along
// the node's edges and a function node's chain rule are those of that moment: a leaf's .grad
// before its AccumulateGrad ran in the pass is not its final value.
//
// Events (bind): "line" (a source line to highlight), "node" (a node id to select).

import { el, emitter } from "./dom.js";
import { roleDescription } from "./legend.js";
import { nodeLabel } from "./labels.js";
import { t } from "./i18n.js";
import { bindingsSection, statesSection } from "./tensor-history.js";
import { gradAt, valueAt } from "./stepper.js";
import { renderChain } from "./chain-text.js";

const py = (value) => (value === true ? "True" : value === false ? "False" : value == null ? "None" : String(value));
const size = (shape) => `torch.Size([${shape.join(", ")}])`;
const dtype = (name) => (name ? `torch.${name}` : "None");

export function createInspector(root, { hideWhenEmpty = false } = {}) {
  const events = emitter();
  let last = { node: null, model: null, ctx: {} };

  const title = el("h2", { class: "panel-title", id: `${root.id}-title` });
  const body = el("div", { class: "inspector-body", "data-testid": "inspector-body" });
  root.replaceChildren(title, body);
  // replaceChildren writes a null as the text "null": only the parts that exist go in.
  const fill = (...parts) => body.replaceChildren(...parts.filter(Boolean));
  root.setAttribute("aria-labelledby", title.id);

  const code = (text, extra = "") => el("code", { class: `pyval ${extra}`.trim() }, text);
  const row = (key, ...value) => [el("dt", {}, t(key)), el("dd", {}, ...value)];
  const tensorBlock = (value, testId) =>
    el("pre", { class: "tensor-text", "data-testid": testId, tabindex: 0 }, value ? value.text : "None");

  function lineButton(line, lineText) {
    if (!line) return el("span", { class: "muted" }, t("inspector.line_none"));
    return el(
      "span",
      { class: "source-ref" },
      el("button", { type: "button", class: "link-button", "data-testid": "inspector-line", on: { click: () => events.emit("line", line) } }, t("inspector.line_n", { line })),
      lineText ? el("code", { class: "source-snippet" }, lineText.trim()) : null,
    );
  }

  function nodeButton(id, label) {
    return el("button", { type: "button", class: "link-button", on: { click: () => events.emit("node", id) } }, label);
  }

  function gradientsThrough(node, model, passIndex, at) {
    if (passIndex == null) return null;
    const flowed = at?.pass && at.engaged ? at.edgeGrads : null; // what has flowed by the step
    const items = model
      .edgesAt(node.id)
      .map((e) => ({ e, grad: flowed ? flowed.get(e.id) : model.gradOn(e.id, passIndex) }))
      .filter(({ grad }) => grad)
      .map(({ e, grad }) => {
        const incoming = e.source === node.id;
        const other = incoming ? e.target : e.source;
        // A hook of the program's changed this gradient: what arrived before it ran.
        const before = e.grads.find((g) => g.backward_pass === passIndex)?.before ?? null;
        return el(
          "li",
          {},
          el("span", { class: "grad-dir" }, incoming ? t("inspector.grad_from") : t("inspector.grad_to")),
          " ",
          nodeButton(other, model.name(other)),
          el("pre", { class: "tensor-text small" }, grad.text),
          before ? el("p", { class: "muted small", "data-testid": "inspector-hook-before" }, t("hook.before_long")) : null,
          before ? el("pre", { class: "tensor-text small" }, before.text) : null,
        );
      });
    if (!items.length) return null;
    return el(
      "section",
      { class: "inspector-section" },
      el("h3", {}, t("inspector.gradients", { pass: passIndex + 1 })),
      el("ul", { class: "grad-list" }, ...items),
    );
  }

  function savedList(node, model) {
    if (!node.saved.length) return el("p", { class: "muted" }, t("inspector.saved_none"));
    return el(
      "ul",
      { class: "saved-list", "data-testid": "inspector-saved" },
      ...node.saved.map((item) => {
        const head = el("div", { class: "saved-head" }, code(item.name, "saved-name"));
        // Changed in place after it was saved: PyTorch's versions, and the error it would raise.
        const notes = [
          item.version ? el("p", { class: "muted small", "data-testid": "inspector-saved-version" }, t("inspector.saved_version", item.version)) : null,
          item.error ? el("p", { class: "muted small" }, t("inspector.saved_error")) : null,
          item.error ? el("pre", { class: "tensor-text small", "data-testid": "inspector-saved-error" }, item.error) : null,
        ];
        if (item.text != null) {
          head.append(" = ", code(item.text));
          return el("li", {}, head, ...notes);
        }
        if (item.shape) head.append(" ", el("span", { class: "muted" }, `${size(item.shape)} · ${dtype(item.dtype)}`));
        if (item.tensor && model.hasNode(item.tensor)) {
          head.append(" ", nodeButton(item.tensor, `→ ${nodeLabel(model.node(item.tensor))}`));
        }
        return el("li", {}, head, item.value ? el("pre", { class: "tensor-text small" }, item.value.text) : null, ...notes);
      }),
    );
  }

  /** The chain rule of a function node's step in the stepper's pass, once it has run. */
  function chainAtStep(node, model, at) {
    if (!at?.pass || !at.engaged) return null;
    const index = at.pass.steps.findIndex((step) => step.node === node.id);
    if (index < 0) return null;
    const ran = index <= at.stepIndex;
    return el(
      "section",
      { class: "inspector-section" },
      el("h3", {}, t("chain.title")),
      ran
        ? renderChain(model, at.pass, at.pass.steps[index], { testId: "inspector-chain" })
        : el("p", { class: "muted small" }, t("chain.not_yet", { pass: at.pass.index + 1 })),
    );
  }

  /** Show `node` of graph model `model` (either null: nothing selected). */
  function render(node, model, ctx = {}) {
    last = { node, model, ctx };
    title.textContent = t("inspector.title");
    if (hideWhenEmpty) root.hidden = !node;
    if (!node || !model) {
      body.replaceChildren(el("p", { class: "empty-hint" }, t("inspector.empty")));
      return;
    }
    const lineText = node.line ? ctx.lineText?.(node.line) : null;
    const facts = el("dl", { class: "facts" });
    if (node.kind === "tensor") {
      facts.append(
        ...row("inspector.name", node.names?.length ? code(node.names.join(", ")) : nodeLabel(node)),
        ...row("inspector.kind", t("inspector.kind_tensor"), " · ", el("span", { class: `role-chip role-${node.role}` }, t(`role_short.${node.role}`))),
        ...row("inspector.shape", code(size(node.shape))),
        ...row("inspector.dtype", code(dtype(node.dtype))),
        ...row("inspector.requires_grad", code(py(node.requires_grad))),
        ...row("inspector.is_leaf", code(py(node.is_leaf))),
        ...row("inspector.grad_fn", code(node.grad_fn ? `<${node.grad_fn}>` : "None")),
        ...row("inspector.retains_grad", code(py(node.retains_grad))),
        ...(node.version == null ? [] : row("inspector.version", code(String(node.version)), " ", el("span", { class: "muted small" }, t("inspector.version_note")))),
        ...row("inspector.line", lineButton(node.line, lineText)),
      );
      const at = ctx.at?.pass && ctx.at.engaged ? ctx.at : null;
      const grad = at ? (gradAt(model, at, node)?.value ?? null) : node.grad;
      const gradNote = grad
        ? null
        : el("p", { class: "muted small" }, t(node.is_leaf ? (node.requires_grad ? "inspector.grad_none_leaf" : "inspector.grad_none_nograd") : "inspector.grad_none_nonleaf"));
      const when = at?.pass ? el("p", { class: "muted small", "data-testid": "inspector-grad-at" }, t("inspector.grad_at", { n: at.stepIndex + 1, pass: at.pass.index + 1 })) : null;
      fill(
        el("h3", { class: "node-heading" }, nodeLabel(node)),
        el("p", { class: "role-text" }, roleDescription(node.role)),
        el(
          "div",
          { class: "value-pair" },
          el("section", { class: "inspector-section" }, el("h3", {}, t("inspector.value")), tensorBlock(at ? valueAt(model, at, node).value : node.value, "inspector-value")),
          el("section", { class: "inspector-section" }, el("h3", {}, ".grad"), tensorBlock(grad, "inspector-grad"), gradNote, when),
        ),
        facts,
        bindingsSection(node, model, nodeButton),
        statesSection(node),
        gradientsThrough(node, model, ctx.passIndex, ctx.at),
      );
    } else {
      facts.append(
        ...row("inspector.kind", t("inspector.kind_function")),
        ...row("inspector.op", code(node.op)),
        ...(node.version == null ? [] : row("inspector.version", code(String(node.version)), " ", el("span", { class: "muted small" }, t("inspector.version_in_place")))),
        ...row("inspector.line", lineButton(node.line, lineText)),
      );
      fill(
        el("h3", { class: "node-heading" }, node.op),
        el("p", { class: "role-text" }, t("inspector.function_text", { op: node.op })),
        facts,
        chainAtStep(node, model, ctx.at),
        el("section", { class: "inspector-section" }, el("h3", {}, t("inspector.saved")), savedList(node, model)),
        gradientsThrough(node, model, ctx.passIndex, ctx.at),
      );
    }
  }

  render(null, null);
  return {
    bind: events.bind,
    render,
    relabel: () => render(last.node, last.model, last.ctx),
  };
}
