// The backward stepper: walk through each recorded backward pass node by node.
// overlayAt() is the pure part (what the graph should show after step i of pass p, read from the
// graph model, graph-model.js); the view has the controls: pass choice, reset, step back,
// play/pause, step forward, and a slider. A pass that raised has one position more than its
// steps: the last, where the node that raised is marked and the error is told.
//
// Events (bind): "change" (overlay or null), "node" (id of a node the caption names).

import { el, emitter, on, prefersReducedMotion } from "./dom.js";
import { icon } from "./icons.js";
import { lang, t } from "./i18n.js";

const PLAY_INTERVAL_MS = 1100;

/** How many positions the stepper has for `pass`: its steps, and the error if it raised. */
export function positions(pass) {
  return pass.steps.length + (pass.error ? 1 : 0);
}

/** What the graph shows after step `stepIndex` (-1: before the first) of backward pass `passPos`. */
export function overlayAt(model, passPos, stepIndex) {
  const pass = model.backward[passPos];
  if (!pass) return null;
  const gradOn = (edgeId) => model.gradOn(edgeId, pass.index);
  const steps = pass.steps.slice(0, stepIndex + 1);
  const error = pass.error && stepIndex >= pass.steps.length ? pass.error : null;
  const current = error ? null : (steps[steps.length - 1] ?? null);
  const edgeGrads = new Map();
  for (const step of steps) {
    for (const edgeId of step.edges) {
      const value = gradOn(edgeId);
      if (value) edgeGrads.set(edgeId, value);
    }
  }
  // .grad accumulates across calls: earlier passes first, then this pass up to the step.
  const leafGrads = new Map();
  model.backward.slice(0, passPos).forEach((earlier, q) => {
    for (const step of earlier.steps) {
      if (step.grad) leafGrads.set(step.node, { value: step.grad, pass: q, previous: true, fresh: false });
    }
  });
  for (const step of steps) {
    if (step.grad) leafGrads.set(step.node, { value: step.grad, pass: passPos, previous: false, fresh: step === current });
  }
  return {
    pass,
    step: current,
    stepIndex,
    error,
    running: error ? error.node : (current?.node ?? null),
    raised: error?.node ?? null,
    done: new Set((error ? steps : steps.slice(0, -1)).map((step) => step.node)),
    roots: new Set(pass.roots),
    flowing: new Set(current?.edges ?? []),
    edgeGrads,
    leafGrads,
  };
}

/** The sentence under the controls, for the current step (also read out by screen readers). */
export function describe(model, overlay) {
  const name = model.name;
  const { pass } = overlay;
  const call = pass.kind === "backward" ? "backward()" : "torch.autograd.grad()";
  const where = { n: overlay.stepIndex + 1, total: positions(pass) };
  if (overlay.error) {
    const { node, type, message } = overlay.error;
    return node
      ? t("stepper.raised", { ...where, op: name(node), type, message })
      : t("stepper.raised_outside", { ...where, call, type, message });
  }
  if (!overlay.step) {
    return t("stepper.ready", { call, line: pass.line ?? "?", roots: pass.roots.map(name).join(", ") });
  }
  const node = model.node(overlay.step.node);
  if (node?.kind === "tensor") {
    const grad = overlay.step.grad?.text ?? "None";
    return t("stepper.accumulate", { ...where, name: model.name(node.id), grad });
  }
  const edges = overlay.step.edges.map((id) => model.edge(id)).filter(Boolean);
  const value = (edge) => {
    const grad = model.gradOn(edge.id, pass.index);
    return grad ? grad.text.replace(/\s+/g, " ") : "—";
  };
  const incoming = edges.filter((e) => e.source === overlay.step.node).map((e) => `${name(e.target)}: ${value(e)}`);
  const outgoing = edges.filter((e) => e.target === overlay.step.node).map((e) => `${name(e.source)}: ${value(e)}`);
  const line = node?.line ? t("stepper.on_line", { line: node.line }) : "";
  return [
    t("stepper.runs", { ...where, op: name(overlay.step.node), line }),
    incoming.length ? t("stepper.receives", { list: incoming.join("; ") }) : "",
    outgoing.length ? t("stepper.sends", { list: outgoing.join("; ") }) : t("stepper.sends_nothing"),
  ]
    .filter(Boolean)
    .join(lang() === "zh" ? "" : " ");
}

export function createStepper(root) {
  const events = emitter();
  let model = null;
  let passPos = 0;
  let stepIndex = -1;
  let timer = null;
  let engaged = false; // nothing is drawn on the graph until the user starts stepping
  let emptyNote = null; // {key, values}: why there is no pass (the program stopped or did not run)

  const button = (name, key, handler, testId) =>
    el("button", { type: "button", class: "icon-button", "data-i18n-aria": key, "aria-label": t(key), title: t(key), "data-testid": testId, on: { click: handler } }, icon(name));

  const title = el("h2", { class: "panel-title", id: `${root.id}-title` }, t("stepper.title"));
  const passSelect = el("select", { class: "stepper-pass", "aria-label": t("stepper.pass"), "data-testid": "stepper-pass" });
  const reset = button("reset", "stepper.reset", () => go(-1), "stepper-reset");
  const back = button("step-back", "stepper.back", () => go(stepIndex - 1), "stepper-back");
  const play = button("play", "stepper.play", () => (timer ? pause() : start()), "stepper-play");
  const forward = button("step-forward", "stepper.forward", () => go(stepIndex + 1), "stepper-forward");
  const slider = el("input", { type: "range", class: "stepper-slider", min: -1, max: 0, value: -1, step: 1, "aria-label": t("stepper.slider"), "data-testid": "stepper-slider" });
  const count = el("output", { class: "stepper-count", "data-testid": "stepper-count" });
  const caption = el("p", { class: "stepper-caption", "aria-live": "polite", "data-testid": "stepper-caption" });
  const controls = el("div", { class: "stepper-controls", role: "group", "aria-labelledby": title.id }, reset, back, play, forward, slider, count);
  root.replaceChildren(el("div", { class: "stepper-head" }, title, passSelect), controls, caption);
  root.setAttribute("aria-labelledby", title.id);

  on(slider, "input", () => go(Number(slider.value)));
  on(passSelect, "change", () => {
    passPos = Number(passSelect.value);
    go(-1, { engage: true });
  });

  function passes() {
    return model?.backward ?? [];
  }

  function go(index, { engage = true } = {}) {
    const pass = passes()[passPos];
    if (!pass) return;
    stepIndex = Math.max(-1, Math.min(index, positions(pass) - 1));
    if (engage) engaged = true;
    if (stepIndex >= positions(pass) - 1 && timer) pause();
    paint();
  }

  function start() {
    const pass = passes()[passPos];
    if (!pass) return;
    if (stepIndex >= positions(pass) - 1) go(-1);
    engaged = true;
    timer = setInterval(() => go(stepIndex + 1), prefersReducedMotion() ? PLAY_INTERVAL_MS * 1.5 : PLAY_INTERVAL_MS);
    go(stepIndex + 1);
    paint();
  }

  function pause() {
    clearInterval(timer);
    timer = null;
    paint();
  }

  function paint() {
    const all = passes();
    const pass = all[passPos];
    root.classList.toggle("is-empty", !pass);
    for (const control of [reset, back, play, forward, slider]) control.disabled = !pass;
    passSelect.hidden = all.length < 2;
    passSelect.replaceChildren(
      ...all.map((p, i) =>
        el("option", { value: i, selected: i === passPos }, t("stepper.pass_option", {
          n: i + 1,
          call: p.kind === "backward" ? "backward()" : "autograd.grad()",
          line: p.line ?? "?",
        }) + (p.error ? t("stepper.pass_raised", { type: p.error.type }) : "")),
      ),
    );
    const playing = Boolean(timer);
    const playKey = playing ? "stepper.pause" : "stepper.play";
    play.replaceChildren(icon(playing ? "pause" : "play"));
    play.setAttribute("aria-label", t(playKey));
    play.setAttribute("data-i18n-aria", playKey);
    play.title = t(playKey);
    play.setAttribute("aria-pressed", String(playing));
    if (!pass) {
      count.textContent = "";
      caption.textContent = !model ? "" : emptyNote ? t(emptyNote.key, emptyNote.values) : t("stepper.none");
      events.emit("change", null);
      return;
    }
    back.disabled = stepIndex < 0;
    reset.disabled = stepIndex < 0 && !playing;
    const total = positions(pass);
    forward.disabled = stepIndex >= total - 1;
    slider.max = String(total - 1);
    slider.value = String(stepIndex);
    slider.setAttribute("aria-valuetext", t("stepper.count", { n: stepIndex + 1, total }));
    count.textContent = t("stepper.count", { n: stepIndex + 1, total });
    const overlay = overlayAt(model, passPos, stepIndex);
    caption.textContent = describe(model, overlay);
    events.emit("change", engaged ? overlay : null);
  }

  return {
    bind: events.bind,
    /**
     * A new graph model: back to the first pass, before its first step, with nothing drawn.
     * `note` ({key, values}) says why there is no pass, instead of "calls no backward()".
     */
    render(nextModel, note = null) {
      emptyNote = note;
      clearInterval(timer); // as pause(), without painting the old graph first
      timer = null;
      model = nextModel;
      passPos = 0;
      stepIndex = -1;
      engaged = false;
      paint();
    },
    /** Re-read the strings after a language switch. */
    relabel() {
      title.textContent = t("stepper.title");
      passSelect.setAttribute("aria-label", t("stepper.pass"));
      slider.setAttribute("aria-label", t("stepper.slider"));
      for (const [control, key] of [[reset, "stepper.reset"], [back, "stepper.back"], [forward, "stepper.forward"]]) {
        control.setAttribute("aria-label", t(key));
        control.title = t(key);
      }
      paint();
    },
    get passIndex() {
      return passes()[passPos]?.index ?? null;
    },
    /** Show step `index` (-1: before the first) of the pass at position `pos` (share links, exercises). */
    show(pos, index) {
      if (!passes()[pos]) return;
      passPos = pos;
      go(index);
    },
    /** Where the stepper is: {passPos, stepIndex} (stepIndex -1: before the first step). */
    get position() {
      return { passPos, stepIndex };
    },
  };
}
