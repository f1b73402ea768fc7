// The code editor: a <textarea> for input, laid exactly over a <pre> that shows the same text
// highlighted, with a gutter of line numbers beside them. The textarea grows to fit the text and
// the editor box scrolls, so gutter, highlighting and input always stay aligned.
//
// Keys: Tab / Shift+Tab indent and dedent (press Esc first to move focus out with Tab instead,
// as the line under the editor says),
// Enter keeps the indentation (one level more after a colon), Ctrl/Cmd+Enter runs.
//
// Events (bind): "run", "change" (text), "line" (a line number the user pointed at).

import { el, emitter, on } from "./dom.js";
import { tokenLines } from "./syntax.js";
import { t } from "./i18n.js";

const INDENT = "    ";
const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta"]);

export function createEditor(root, { readOnly = false, label = "Program" } = {}) {
  const events = emitter();
  const gutter = el("div", { class: "editor-gutter", "aria-hidden": "true" });
  const highlight = el("pre", { class: "editor-highlight", "aria-hidden": "true" });
  const input = el("textarea", {
    class: "editor-input",
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    autocorrect: "off",
    wrap: "off",
    "aria-label": label,
    "aria-describedby": "editor-keys-help",
    "data-testid": "code-input",
  });
  // On screen, not only for screen readers: how to leave the editor by keyboard (Tab indents).
  const help = el("p", { id: "editor-keys-help", class: "editor-help", "data-i18n": "editor.keys", "data-testid": "editor-keys-help" });
  help.textContent = t("editor.keys");
  const code = el("div", { class: "editor-code" }, highlight, input);
  const box = el("div", { class: "editor" }, gutter, code);
  root.replaceChildren(box, help);

  let marks = { error: null, highlighted: null };
  let escapePressed = false;
  let caretLine = 0;
  let lineCount = 0;

  function lineAt(offset) {
    return input.value.slice(0, offset).split("\n").length;
  }

  function paint() {
    const lines = tokenLines(input.value);
    lineCount = lines.length;
    const longest = Math.max(...input.value.split("\n").map((line) => line.length), 1);
    box.style.setProperty("--lines", String(lineCount));
    box.style.setProperty("--cols", String(longest + 2));
    highlight.replaceChildren(
      ...lines.map((tokens, index) =>
        el(
          "span",
          { class: lineClass(index + 1), "data-line": index + 1 },
          ...tokens.map((tok) => (tok.type ? el("span", { class: `tok-${tok.type}` }, tok.text) : tok.text)),
          "\n",
        ),
      ),
    );
    gutter.replaceChildren(
      ...lines.map((_, index) =>
        el("span", { class: lineClass(index + 1), "data-line": index + 1, "data-testid": `gutter-line-${index + 1}` }, String(index + 1)),
      ),
    );
    if (marks.error) {
      const mark = gutter.children[marks.error.line - 1];
      if (mark) mark.title = marks.error.message;
    }
  }

  function lineClass(number) {
    const classes = ["line"];
    if (marks.error?.line === number) classes.push("is-error");
    if (marks.highlighted === number) classes.push("is-highlighted");
    return classes.join(" ");
  }

  // Insert text the way typing does, so the browser's undo history keeps working.
  function insert(text, start = input.selectionStart, end = input.selectionEnd) {
    input.setSelectionRange(start, end);
    if (!document.execCommand?.("insertText", false, text)) {
      input.setRangeText(text, start, end, "end");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function indentSelection(outdent) {
    const { value, selectionStart: start, selectionEnd: end } = input;
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    if (!outdent && start === end) {
      const column = start - lineStart;
      insert(INDENT.slice(column % INDENT.length));
      return;
    }
    const blockEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
    const block = value.slice(lineStart, blockEnd);
    const changed = block
      .split("\n")
      .map((line) => (outdent ? line.replace(/^ {1,4}|^\t/, "") : INDENT + line))
      .join("\n");
    insert(changed, lineStart, blockEnd);
    input.setSelectionRange(lineStart, lineStart + changed.length);
  }

  function newline() {
    const { value, selectionStart: start } = input;
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    const before = value.slice(lineStart, start);
    let indent = before.match(/^[ \t]*/)[0];
    if (/:\s*(#.*)?$/.test(before)) indent += INDENT;
    insert(`\n${indent}`);
  }

  function reportCaret() {
    const line = lineAt(input.selectionStart);
    if (line !== caretLine) {
      caretLine = line;
      events.emit("line", line);
    }
  }

  on(input, "input", () => {
    paint();
    events.emit("change", input.value);
  });
  on(input, "keydown", (event) => {
    if (event.isComposing || event.keyCode === 229) return; // an input method is composing
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key === "Enter") {
      event.preventDefault();
      events.emit("run");
      return;
    }
    if (event.key === "Escape") {
      escapePressed = true;
      return;
    }
    // Shift pressed on its way to Shift+Tab is not a key of its own: Esc still holds.
    if (MODIFIERS.has(event.key)) return;
    if (event.key === "Tab" && !escapePressed && !input.readOnly && !mod && !event.altKey) {
      event.preventDefault();
      indentSelection(event.shiftKey);
    } else if (event.key === "Enter" && !input.readOnly && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      newline();
    }
    escapePressed = false;
  });
  on(input, "mouseup", reportCaret);
  on(input, "keyup", (event) => {
    if (/^(Arrow|Page|Home|End)/.test(event.key)) reportCaret();
  });
  on(gutter, "click", (event) => {
    const line = Number(event.target.closest("[data-line]")?.dataset.line);
    if (line) events.emit("line", line);
  });

  input.readOnly = readOnly;
  box.classList.toggle("is-readonly", readOnly);
  paint();

  return {
    bind: events.bind,
    getValue: () => input.value,
    setValue(text) {
      input.value = text;
      marks = { error: null, highlighted: null };
      caretLine = 0;
      paint();
    },
    lineText: (number) => input.value.split("\n")[number - 1] ?? "",
    get lineCount() {
      return lineCount;
    },
    setReadOnly(flag) {
      input.readOnly = flag;
      box.classList.toggle("is-readonly", flag);
    },
    /** Mark the failing line (red gutter number and background); null clears it. */
    markError(error) {
      marks.error = error && error.line ? { line: error.line, message: error.message ?? "" } : null;
      paint();
      if (marks.error) scrollToLine(marks.error.line);
    },
    /** Highlight one line (from the inspector) and bring it into view; null clears it. */
    highlightLine(number) {
      marks.highlighted = number || null;
      paint();
      if (number) scrollToLine(number);
    },
    focus: () => input.focus(),
    /**
     * Put the caret at `col` (1-based, in characters as Python counts them: code points) of
     * line `number`, where an error's expression starts; the editor keeps the focus it has.
     */
    placeCaret(number, col) {
      const lines = input.value.split("\n");
      if (!(number >= 1 && number <= lines.length) || !(col >= 1)) return;
      let offset = lines.slice(0, number - 1).reduce((sum, line) => sum + line.length + 1, 0);
      offset += Array.from(lines[number - 1]).slice(0, col - 1).join("").length;
      input.setSelectionRange(offset, offset);
    },
  };

  function scrollToLine(number) {
    const target = highlight.children[number - 1];
    target?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}
