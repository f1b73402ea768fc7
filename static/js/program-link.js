// The playground's address carries its program and what it shows (share.js writes and reads the
// fragment): after each run, and as the view, the stepper or exercise mode change, the fragment is
// the program that ran and that state; a fragment changed by hand or by the browser's history
// opens its program.
//
// Events (bind): "program" (code, view): a program the address now carries that is not the one
// shown, and what to show of it (share.js decodeView).

import { emitter, on } from "./dom.js";
import { decodeFragment, decodeView, encodeProgram, encodeView } from "./share.js";

/** `state()`: what the page shows now, as share.js encodeView takes it. */
export function bindProgramLink(session, { state = () => ({}) } = {}) {
  const events = emitter();
  let encoded = { code: null, fragment: "" }; // the last program encoded, so a step costs no compression

  /** Put `code` and the current state in the address (without a history entry); the fragment that carries them. */
  async function put(code) {
    if (encoded.code !== code) encoded = { code, fragment: await encodeProgram(code) };
    const fragment = encoded.fragment + encodeView(state());
    if (location.hash.slice(1) !== fragment) history.replaceState(null, "", `#${fragment}`);
    return fragment;
  }

  session.bind("ran", (graph, code) => put(code));
  on(window, "hashchange", async () => {
    const code = await decodeFragment(location.hash);
    if (code !== null && code !== session.code) events.emit("program", code, decodeView(location.hash));
  });

  return {
    bind: events.bind,
    put,
    /** Write the current state into the address, once a program has run. */
    refresh: () => (session.code === null ? null : put(session.code)),
    /** The program in the address, or null when it carries none (or a damaged one). */
    read: () => decodeFragment(location.hash),
    /** What the address asks to show (share.js decodeView). */
    view: () => decodeView(location.hash),
  };
}
