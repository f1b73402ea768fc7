// The run's outcome around the editor: status line, error panel (message and hint in the current
// language), what the program printed, and the answer's notes (plots not drawn...). The only
// module that writes into these four.
//
// Events (bind): "line" (the error's line, when its link is clicked).

import { el, emitter } from "./dom.js";
import { lang, pick, t, tn } from "./i18n.js";

/** Whether a hint is about what the sandbox lets programs use (not a syntax error's: a typo). */
const isAboutSandbox = (hint) => hint?.key?.startsWith("sandbox_") && hint.key !== "sandbox_syntax";

/** The page that lists what runs here, in the current language, at the part the hint is about. */
const whatRunsHere = (hint) => `/what-runs-here?lang=${lang()}#${encodeURIComponent(hint.key)}`;

/** What a cut graph left out (the answer's `omitted`), in the order the counts are named. */
const OMITTED = ["nodes", "edges", "saved", "names", "text_chars", "values", "modules"];

/** The status line's note on a cut graph, with the counts of what was left out. */
function truncatedNote(omitted = {}) {
  const parts = OMITTED.filter((key) => omitted[key] > 0).map((key) =>
    tn(`graph.omitted.${key}`, omitted[key], { n: omitted[key].toLocaleString("en") }),
  );
  if (!parts.length) return t("graph.truncated");
  return `${t("graph.truncated")} ${t("graph.omitted", { list: parts.join(t("graph.omitted.join")) })}`;
}

/** Text with `code` spans, as the hints write them, as nodes (never HTML). */
function withCode(text) {
  return text.split(/(`[^`]+`)/).map((part) =>
    part.startsWith("`") && part.endsWith("`") && part.length > 2 ? el("code", {}, part.slice(1, -1)) : part,
  );
}

/**
 * The error's message in the current language: the sandbox's own messages come in both
 * (`message_zh`); what a client made up (no server reached) is said here; anything else is
 * the text Python or PyTorch raised, kept as written (marked as English for screen readers).
 */
function errorMessage(problem) {
  if (problem.timedOut) return el("p", { class: "error-message" }, t("error.timed_out"));
  if (problem.type === "NetworkError") return el("p", { class: "error-message" }, t("error.network"));
  const status = /^HTTP (\d+)$/.exec(problem.type ?? "");
  if (status) return el("p", { class: "error-message" }, t("error.http", { status: status[1] }));
  if (problem.message_zh && lang() === "zh") return el("p", { class: "error-message" }, problem.message_zh);
  if (problem.message_zh || lang() === "en") return el("p", { class: "error-message" }, problem.message ?? "");
  return el(
    "div",
    { class: "error-message" },
    el("p", { class: "muted small" }, t("error.program_text")),
    el("p", { lang: "en", "data-testid": "error-original" }, problem.message ?? ""),
  );
}

/** hideEmptyStdout: hide the printed-output box when a run printed nothing (the embed page). */
export function createOutput({ status, error, stdout, notes }, { hideEmptyStdout = false } = {}) {
  const events = emitter();
  let last = { kind: "idle" };

  function paintError(problem) {
    error.hidden = !problem;
    if (!problem) {
      error.replaceChildren();
      return;
    }
    const where = problem.line
      ? el(
          "button",
          { type: "button", class: "link-button error-line", "data-testid": "error-line", on: { click: () => events.emit("line", problem.line, problem.col) } },
          problem.col ? t("error.line_col", { line: problem.line, col: problem.col }) : t("error.line", { line: problem.line }),
        )
      : null;
    const hint = problem.hint ? pick(problem.hint) : null;
    const more = isAboutSandbox(problem.hint)
      ? el("a", { class: "hint-link", href: whatRunsHere(problem.hint), target: "_blank", rel: "noopener", "data-testid": "what-runs-here-link" }, t("page.what_runs_here"))
      : null;
    // replaceChildren and append write a null as the text "null": only what exists goes in.
    const head = el("div", { class: "error-head" }, el("strong", { class: "error-type" }, problem.type));
    if (where) head.append(where);
    const parts = [head, errorMessage(problem)];
    if (hint) {
      const box = el("div", { class: "error-hint", "data-testid": "error-hint" }, el("strong", {}, t("error.hint")), el("p", {}, ...withCode(hint)));
      if (more) box.append(more);
      parts.push(box);
    }
    error.replaceChildren(...parts);
  }

  function paintNotes(list) {
    if (!notes) return;
    notes.hidden = !list.length;
    notes.replaceChildren(...list.map((note) => el("li", { class: "note", "data-key": note.key }, ...withCode(pick(note)))));
  }

  function paint() {
    status.classList.toggle("is-busy", last.kind === "running");
    status.classList.toggle("is-error", last.kind === "refused" || Boolean(last.graph?.error));
    if (last.kind === "running") status.textContent = t("status.running");
    else if (last.kind === "refused") status.textContent = t("status.failed");
    else if (last.kind === "result") {
      const ms = Math.round(last.graph.elapsed_ms);
      const nodes = last.graph.nodes.length;
      status.textContent = tn("status.ran", nodes, { ms, nodes: nodes.toLocaleString("en") });
      if (last.graph.truncated) status.textContent += ` · ${truncatedNote(last.graph.omitted)}`;
    } else status.textContent = "";
    if (last.edited && last.kind !== "running") status.textContent = t("status.edited");

    if (last.kind === "refused") paintError(last.error);
    else if (last.kind === "result") {
      const problem = last.graph.error ? { ...last.graph.error, timedOut: last.graph.timed_out } : null;
      paintError(problem);
    } else if (last.kind !== "running") paintError(null);

    if (last.kind === "result") {
      const text = last.graph.stdout;
      if (hideEmptyStdout) stdout.hidden = !text;
      stdout.classList.toggle("is-empty", !text);
      stdout.replaceChildren(
        text || t("output.empty"),
        ...(last.graph.stdout_truncated ? [el("span", { class: "muted" }, `\n${t("output.truncated")}`)] : []),
      );
    } else if (last.kind === "idle" || last.kind === "refused") {
      stdout.classList.add("is-empty");
      stdout.textContent = t("output.empty");
    }

    if (last.kind === "result") paintNotes(last.graph.notes ?? []);
    else if (last.kind !== "running") paintNotes([]);
  }

  paint();
  return {
    bind: events.bind,
    running() {
      last = { ...last, kind: "running", edited: false };
      paint();
    },
    result(graph) {
      last = { kind: "result", graph, edited: false };
      paint();
    },
    refused(problem) {
      last = { kind: "refused", error: problem, edited: false };
      paint();
    },
    edited(flag = true) {
      if (last.edited === flag) return;
      last = { ...last, edited: flag };
      paint();
    },
    /** A one-off line in the status (an export that failed), until the next repaint replaces it. */
    notice(text) {
      status.textContent = text;
    },
    relabel: paint,
  };
}
