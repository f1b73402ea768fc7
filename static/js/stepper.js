// The backward stepper: walk through each recorded backward pass node by node.
// overlayAt() is the pure part (what the graph should show after step i of pass p, read from the
// graph model, graph-model.js); the view has the controls: pass choice, reset, step back,
// play/pause, step forward, a slider and the playback speed. A pass that raised has one
// position more than its steps: the last, where the node that raised is marked and the error
// is told. The caption tells the chain rule of the step in numbers (chain-text.js).
//
// Events (bind): "change" (the state at the stepper's position, overlayAt's; until the learner
// first moves the stepper, the state at the end of the last pass with `engaged` false, whose
// marks are not drawn and whose .grad are the program's final ones; {engaged: false, pass:
// null} when there is no pass; null before any graph).

import { el, emitter, on, prefersReducedMotion } from "./dom.js";
import { icon } from "./icons.js";
import { lang, t } from "./i18n.js";
import { distinctName, renderChain } from "./chain-text.js";

const PLAY_INTERVAL_MS = 1100;
// Playback speeds the learner can choose: steps per PLAY_INTERVAL_MS.
const SPEEDS = [0.25, 0.5, 1, 2, 4];

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
  // The gradient through each non-leaf tensor: what its producer received, once it ran.
  const flowGrads = new Map();
  for (const step of steps) {
    if (step.grad) leafGrads.set(step.node, { value: step.grad, pass: passPos, previous: false, fresh: step === current });
    for (const grad of step.incoming ?? []) {
      for (const edgeId of grad.edges) {
        const target = model.edge(edgeId)?.target;
        if (model.node(target)?.kind === "tensor") flowGrads.set(target, { value: grad.value, fresh: step === current });
      }
    }
  }
  const incoming = new Set((current?.incoming ?? []).flatMap((grad) => grad.edges));
  const outgoing = new Set(current ? current.edges.filter((id) => !incoming.has(id) && model.edge(id)?.target === current.node) : []);
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
    incoming,
    outgoing,
    edgeGrads,
    leafGrads,
    flowGrads,
    engaged: true,
  };
}

const usedIn = new WeakMap(); // pass -> (tensor node id -> its value as that pass's backward used it)

/**
 * A tensor node's value at the stepper's position, {value, atEnd}: as the pass's backward used
 * it where a node of the pass saved it (an optimizer changes a weight between passes), else as
 * the program left it (`atEnd`: it was changed in place, so it may differ from that moment's).
 */
export function valueAt(model, overlay, node) {
  if (!overlay?.pass || !overlay.engaged) return { value: node.value, atEnd: false };
  let found = usedIn.get(overlay.pass);
  if (!found) {
    found = new Map();
    for (const step of overlay.pass.steps) {
      for (const item of model.node(step.node)?.saved ?? []) {
        if (item.tensor && item.value && !found.has(item.tensor)) found.set(item.tensor, item.value);
      }
    }
    usedIn.set(overlay.pass, found);
  }
  const used = found.get(node.id);
  return used ? { value: used, atEnd: false } : { value: node.value, atEnd: Boolean(node.version) };
}

/**
 * A tensor node's .grad at the stepper's position `overlay` ({value, fresh, previous, pass}),
 * or null for None. A leaf (or a tensor that retains grad) no pass reached shows what the
 * program left in it; before the learner steps (or with no pass at all), every node does.
 */
export function gradAt(model, overlay, node) {
  if (!overlay?.pass || !overlay.engaged) return node.grad ? { value: node.grad, fresh: false, previous: false } : null;
  const entry = overlay.leafGrads.get(node.id);
  if (entry) return entry;
  if (node.is_leaf || node.retains_grad) {
    const reached = model.stepsOf(node.id).length || model.incoming(node.id).some((edge) => model.stepsOf(edge.source).length);
    if (!reached && node.grad) return { value: node.grad, fresh: false, previous: false };
    if (node.retains_grad && !node.is_leaf) return overlay.flowGrads.get(node.id) ?? null;
  }
  return null;
}

/** The sentence under the controls, for the current step (also read out by screen readers). */
export function describe(model, overlay) {
  const name = (id) => distinctName(model, id);
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
    return t("stepper.accumulate", { ...where, name: name(node.id), grad });
  }
  const sends = overlay.step.chain?.length || overlay.step.edges.some((id) => model.edge(id)?.target === overlay.step.node);
  return [t("stepper.runs", { ...where, op: name(overlay.step.node), line: "" }), sends ? "" : t("stepper.sends_nothing")]
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
  let speed = 1;

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
  const speedSelect = el(
    "select",
    { class: "stepper-speed", "aria-label": t("stepper.speed"), title: t("stepper.speed"), "data-testid": "stepper-speed" },
    ...SPEEDS.map((value) => el("option", { value, selected: value === speed }, `${value}×`)),
  );
  const caption = el("div", { class: "stepper-caption", "aria-live": "polite", "data-testid": "stepper-caption" });
  const controls = el("div", { class: "stepper-controls", role: "group", "aria-labelledby": title.id }, reset, back, play, forward, slider, count, speedSelect);
  root.replaceChildren(el("div", { class: "stepper-head" }, title, passSelect), controls, caption);
  root.setAttribute("aria-labelledby", title.id);

  on(slider, "input", () => go(Number(slider.value)));
  on(speedSelect, "change", () => {
    speed = Number(speedSelect.value) || 1;
    if (timer) restartTimer();
  });
  on(passSelect, "change", () => {
    passPos = Number(passSelect.value);
    go(-1, { engage: true });
  });

  function passes() {
    return model?.backward ?? [];
  }

  /** Before the learner steps: the program's end, after its last pass (its marks not drawn). */
  function finalState() {
    const last = passes().length - 1;
    return { ...overlayAt(model, last, positions(passes()[last]) - 1), engaged: false };
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
    restartTimer();
    go(stepIndex + 1);
    paint();
  }

  function restartTimer() {
    clearInterval(timer);
    const interval = (prefersReducedMotion() ? PLAY_INTERVAL_MS * 1.5 : PLAY_INTERVAL_MS) / speed;
    timer = setInterval(() => go(stepIndex + 1), interval);
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
    speedSelect.disabled = !pass;
    if (!pass) {
      count.textContent = "";
      caption.textContent = !model ? "" : emptyNote ? t(emptyNote.key, emptyNote.values) : t("stepper.none");
      events.emit("change", model ? { engaged: false, pass: null } : null);
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
    const chain = overlay.step && !overlay.error ? renderChain(model, pass, overlay.step) : null;
    caption.replaceChildren(el("p", { class: "stepper-sentence" }, describe(model, overlay)), ...(chain ? [chain] : []));
    events.emit("change", engaged ? overlay : finalState());
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
      speedSelect.setAttribute("aria-label", t("stepper.speed"));
      speedSelect.title = t("stepper.speed");
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
