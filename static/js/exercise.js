// Exercise mode (exercise-plan.js decides what is asked): the chosen gradients are hidden ("?" on
// the graph, in the inspector and in the stepper), and at each backward step the learner types a
// prediction for each hidden gradient that step computes, is told right or wrong, and then sees
// the value and the stepper's explanation of the step (its caption, hidden until then).
//
// Hiding works on the answer itself: each hidden value in the graph JSON is swapped for a
// placeholder, and put back when its question is answered; `repaint` then redraws the views,
// which only ever read the answer. Predictions are compared in this page and never leave it.
//
// Events (bind): "change" (choice text, or null): exercise mode turned on or off by its switch.

import { $, el, emitter, on } from "./dom.js";
import { isClose, parseAnswer, parseChoice, planExercise, stepKey } from "./exercise-plan.js";
import { positions } from "./stepper.js";
import { lang, t } from "./i18n.js";

const placeholder = (value) => ({ text: "?", data: null, shape: value.shape, dtype: value.dtype, hidden: true });
const shown = (value) => value.text.replace(/\s+/g, " ").trim();
// Only a real change touches a live region: the same sentence written again may be read out again.
const setText = (node, text) => {
  if (node.textContent !== text) node.textContent = text;
};

/**
 * The exercise panel on `root`. stepper: the stepper (its "change" events and show()); caption:
 * the element holding the stepper's explanation; stdout: the program's printed output (hidden
 * until every gradient is predicted: a program may print them); repaint(): redraw every view
 * from the answer; switchable: show the on/off switch (the playground; an embed has the
 * teacher's choice).
 */
export function createExercise(root, { stepper, caption, stdout, repaint, switchable = false }) {
  const events = emitter();
  let choiceText = null; // null: off
  let graph = null;
  let plan = new Map();
  let hidden = []; // [{holder, field, value, question keys (null: until every question of the node)}]
  let answers = new Map(); // question key -> {status: "right" | "wrong" | "shown", given}
  let overlay = null;
  let focusNext = false;

  const title = el("h2", { class: "panel-title", id: `${root.id}-title` });
  const toggle = el("input", { type: "checkbox", role: "switch", id: `${root.id}-switch`, "data-testid": "exercise-switch" });
  const toggleLabel = el("label", { for: toggle.id, class: "exercise-switch-label" });
  const toggleNote = el("p", { class: "muted small", id: `${root.id}-switch-note` });
  toggle.setAttribute("aria-describedby", toggleNote.id);
  const prompt = el("p", { class: "exercise-prompt", "aria-live": "polite", "data-testid": "exercise-prompt" });
  const format = el("p", { class: "muted small exercise-format", id: `${root.id}-format` });
  const rows = el("div", { class: "exercise-rows" });
  const check = el("button", { type: "submit", class: "button button-primary", "data-testid": "exercise-check" });
  const reveal = el("button", { type: "button", class: "button", "data-testid": "exercise-show" });
  const next = el("button", { type: "button", class: "button", "data-testid": "exercise-next" });
  const form = el("form", { class: "exercise-form", "data-testid": "exercise-form", novalidate: true }, rows, el("div", { class: "exercise-actions" }, check, reveal, next));
  const feedback = el("p", { class: "exercise-feedback", role: "status", "data-testid": "exercise-feedback" });
  const score = el("p", { class: "exercise-score muted small", "data-testid": "exercise-score" });
  const outputNote = el("p", { class: "muted small", "data-testid": "exercise-output-note" });
  const body = el("div", { class: "exercise-body" }, prompt, format, form, feedback, score, outputNote);
  const head = el("div", { class: "exercise-head" }, title, switchable ? el("span", { class: "exercise-switch" }, toggle, toggleLabel) : null);
  // The playground's teacher may narrow the choice (exercise-plan.js): "x, w", "leaves", "edges".
  const choiceInput = el("input", { type: "text", id: `${root.id}-choice`, class: "exercise-input", autocomplete: "off", spellcheck: "false", "data-testid": "exercise-choice" });
  const choiceLabel = el("label", { for: choiceInput.id });
  const choiceNote = el("p", { class: "muted small", id: `${root.id}-choice-note` });
  choiceInput.setAttribute("aria-describedby", choiceNote.id);
  const choiceRow = el("div", { class: "exercise-row exercise-choice" }, choiceLabel, choiceInput, choiceNote);
  root.replaceChildren(...[head, switchable ? toggleNote : null, switchable ? choiceRow : null, body].filter(Boolean));
  root.setAttribute("aria-labelledby", title.id);

  // --- hiding and revealing values in the answer -------------------------------------------
  function unmaskAll() {
    for (const entry of hidden) entry.holder[entry.field] = entry.value;
    hidden = [];
  }

  function mask() {
    unmaskAll();
    plan = planExercise(graph, parseChoice(choiceText));
    const byNode = new Map();
    for (const questions of plan.values()) {
      for (const question of questions) {
        hidden.push({ holder: question.holder, field: question.field, value: question.value, keys: [question.key] });
        question.holder[question.field] = placeholder(question.value);
        if (!byNode.has(question.node)) byNode.set(question.node, []);
        byNode.get(question.node).push(question.key);
      }
    }
    // A tensor's own .grad (the final one) stays hidden until every question about it is answered.
    for (const node of graph?.nodes ?? []) {
      if (node.kind === "tensor" && node.grad && byNode.has(node.id)) {
        hidden.push({ holder: node, field: "grad", value: node.grad, keys: byNode.get(node.id) });
        node.grad = placeholder(node.grad);
      }
    }
  }

  function unmaskAnswered() {
    hidden = hidden.filter((entry) => {
      if (!entry.keys.every((key) => answers.has(key))) return true;
      entry.holder[entry.field] = entry.value;
      return false;
    });
  }

  // --- the questions of the step the stepper is at -----------------------------------------
  const nodeOf = (id) => graph?.nodes.find((node) => node.id === id) ?? null;
  function nameOf(id) {
    const node = nodeOf(id);
    if (!node) return id;
    if (node.kind === "tensor") return node.label;
    return node.line ? `${node.op}${t("exercise.on_line", { line: node.line })}` : node.op;
  }
  function labelOf(question) {
    const shape = question.value.shape?.length ? t("exercise.shape", { shape: `[${question.value.shape.join(", ")}]` }) : "";
    if (question.kind === "grad") return t("exercise.q_grad", { name: nameOf(question.node) }) + shape;
    // No space after a full-width bracket: "PowBackward0（第 2 行）传给 x 的梯度".
    return t("exercise.q_edge", { op: nameOf(question.from), name: nameOf(question.node) }).replace(/） /g, "）") + shape;
  }

  const current = () => (overlay?.step ? plan.get(stepKey(overlay.pass.index, overlay.stepIndex)) ?? [] : []);
  const open = () => current().filter((question) => !answers.has(question.key));
  const allQuestions = () => [...plan.values()].flat();

  function resultText(question) {
    const answer = answers.get(question.key);
    const values = { label: labelOf(question), value: shown(question.value), given: answer?.given ?? "" };
    return t(`exercise.result_${answer.status}`, values);
  }

  function paintRows() {
    const typed = new Map([...rows.querySelectorAll("input:not([readonly])")].map((input) => [input.dataset.question, input.value]));
    const focused = rows.contains(document.activeElement) ? document.activeElement.dataset.question : null;
    rows.replaceChildren(
      ...current().map((question, i) => {
        const id = `${root.id}-answer-${i}`;
        const answer = answers.get(question.key);
        const input = el("input", {
          type: "text", id, class: "exercise-input", autocomplete: "off", spellcheck: "false", autocapitalize: "off",
          "data-testid": "exercise-answer", "data-question": question.key, "aria-describedby": answer ? `${id}-result` : format.id,
        });
        if (answer) {
          input.value = answer.given;
          input.readOnly = true;
        } else {
          input.value = typed.get(question.key) ?? "";
        }
        return el(
          "div",
          { class: `exercise-row${answer ? ` is-${answer.status}` : ""}` },
          el("label", { for: id }, labelOf(question)),
          input,
          answer ? el("p", { class: "exercise-result", id: `${id}-result`, "data-testid": "exercise-result" }, resultText(question)) : null,
        );
      }),
    );
    if (focused) $(`input[data-question="${focused}"]`, rows)?.focus();
  }

  function paintScore() {
    const all = allQuestions();
    const answered = all.filter((question) => answers.has(question.key));
    const right = answered.filter((question) => answers.get(question.key).status === "right").length;
    if (!all.length) score.textContent = "";
    else if (answered.length === all.length) score.textContent = t("exercise.done", { right, total: all.length });
    else score.textContent = t("exercise.score", { right, answered: answered.length, total: all.length });
  }

  function hasNext() {
    const pass = overlay?.pass;
    return !overlay || (pass && overlay.stepIndex < positions(pass) - 1);
  }

  function paint() {
    const active = choiceText !== null;
    root.hidden = !active && !switchable;
    root.classList.toggle("is-active", active);
    body.hidden = !active;
    toggle.checked = active;
    title.textContent = t("exercise.title");
    toggleLabel.textContent = t("exercise.switch");
    toggleNote.textContent = t("exercise.switch_note");
    choiceRow.hidden = !active;
    choiceLabel.textContent = t("exercise.choice");
    choiceNote.textContent = t("exercise.choice_note");
    if (active && document.activeElement !== choiceInput) choiceInput.value = choiceText || "all";
    format.textContent = t("exercise.format");
    check.textContent = t("exercise.check");
    reveal.textContent = t("exercise.show");
    next.textContent = t(overlay ? "exercise.next" : "exercise.start");
    if (caption) caption.hidden = active && open().length > 0;
    const concealOutput = active && allQuestions().some((question) => !answers.has(question.key));
    stdout?.toggleAttribute("data-exercise-concealed", concealOutput);
    outputNote.hidden = !concealOutput || !graph?.stdout;
    outputNote.textContent = t("exercise.output_hidden");
    if (!active) return;
    const questions = current();
    const waiting = open().length > 0;
    if (!allQuestions().length) setText(prompt, t("exercise.none"));
    else if (!overlay) setText(prompt, t("exercise.intro"));
    else if (!overlay.step) setText(prompt, t("exercise.nothing"));
    else {
      const where = { n: overlay.stepIndex + 1, total: positions(overlay.pass), op: nameOf(overlay.step.node) };
      const ask = questions.length ? (waiting ? t("exercise.predict") : t("exercise.answered")) : t("exercise.nothing_here");
      setText(prompt, [t("exercise.step", where), ask].join(lang() === "zh" ? "" : " "));
    }
    format.hidden = !waiting;
    form.hidden = !questions.length && !hasNext();
    check.hidden = !waiting;
    reveal.hidden = !waiting;
    next.hidden = waiting || !hasNext() || !allQuestions().length;
    paintRows();
    paintScore();
    if (focusNext) {
      focusNext = false;
      $("input:not([readonly])", rows)?.focus();
    }
  }

  // --- answering ----------------------------------------------------------------------------
  function settle(results) {
    for (const [question, answer] of results) answers.set(question.key, answer);
    unmaskAnswered();
    feedback.textContent = results.map(([question]) => resultText(question)).join(lang() === "zh" ? "" : " ");
    repaint(); // the stepper repaints its caption and the graph its labels, with the values back
    paint();
    if (!next.hidden) next.focus();
  }

  on(form, "submit", (event) => {
    event.preventDefault();
    const questions = open();
    if (!questions.length) return;
    const inputs = new Map([...rows.querySelectorAll("input")].map((input) => [input.dataset.question, input]));
    const results = [];
    for (const input of inputs.values()) input.removeAttribute("aria-invalid");
    for (const question of questions) {
      const input = inputs.get(question.key);
      const given = input?.value.trim() ?? "";
      const numbers = parseAnswer(given);
      const problem = !given ? "exercise.empty" : numbers?.length !== question.numbers.length ? "exercise.invalid" : null;
      if (problem) {
        input?.setAttribute("aria-invalid", "true");
        feedback.textContent = t(problem, { label: labelOf(question), count: question.numbers.length });
        input?.focus();
        return;
      }
      results.push([question, { status: isClose(numbers, question.numbers) ? "right" : "wrong", given }]);
    }
    settle(results);
  });
  on(reveal, "click", () => settle(open().map((question) => [question, { status: "shown", given: "" }])));
  on(next, "click", () => {
    const { passPos, stepIndex } = stepper.position;
    focusNext = true;
    feedback.textContent = "";
    stepper.show(passPos, overlay ? stepIndex + 1 : 0);
  });
  on(toggle, "change", () => {
    setChoice(toggle.checked ? "all" : null);
    events.emit("change", choiceText);
  });
  on(choiceInput, "change", () => {
    setChoice(choiceInput.value.trim() || "all");
    events.emit("change", choiceText);
  });

  stepper.bind("change", (state) => {
    const before = overlay ? stepKey(overlay.pass.index, overlay.stepIndex) : null;
    // Before the learner steps, the stepper tells its final state, not engaged: nothing asked yet.
    overlay = state?.engaged && state.pass ? state : null;
    if ((overlay ? stepKey(overlay.pass.index, overlay.stepIndex) : null) !== before) feedback.textContent = "";
    paint();
  });

  /** Turn exercise mode on with `text` as the choice (exercise-plan.js), or off with null. */
  function setChoice(text) {
    const nextChoice = text === null || text === undefined ? null : String(text);
    if (nextChoice === choiceText) return;
    choiceText = nextChoice;
    answers = new Map();
    feedback.textContent = "";
    if (choiceText === null) unmaskAll();
    else mask();
    repaint();
    paint();
  }

  paint();
  return {
    bind: events.bind,
    setChoice,
    /** The choice text, or null when exercise mode is off. */
    get choice() {
      return choiceText;
    },
    /** A new answer from the server (before the views have been painted from it is best). */
    load(nextGraph) {
      unmaskAll();
      graph = nextGraph;
      answers = new Map();
      feedback.textContent = "";
      if (choiceText === null) {
        plan = new Map();
      } else {
        mask();
        repaint();
      }
      paint();
    },
    /** No answer to ask about (a refused program): the old one's values stay as they are shown. */
    clear() {
      graph = null;
      plan = new Map();
      hidden = [];
      answers = new Map();
      feedback.textContent = "";
      paint();
    },
    relabel: paint,
  };
}
