// The playground's address carries its program (share.js writes and reads the fragment): after
// each run the fragment is the program that ran, and a fragment changed by hand or by the
// browser's history opens its program.
//
// Events (bind): "program" (code: a program the address now carries that is not the one shown).

import { emitter, on } from "./dom.js";
import { decodeFragment, encodeProgram } from "./share.js";

export function bindProgramLink(session) {
  const events = emitter();

  /** Put `code` in the address (without a history entry); the fragment that carries it. */
  async function put(code) {
    const fragment = await encodeProgram(code);
    if (location.hash.slice(1) !== fragment) history.replaceState(null, "", `#${fragment}`);
    return fragment;
  }

  session.bind("ran", (graph, code) => put(code));
  on(window, "hashchange", async () => {
    const code = await decodeFragment(location.hash);
    if (code !== null && code !== session.code) events.emit("program", code);
  });

  return {
    bind: events.bind,
    put,
    /** The program in the address, or null when it carries none (or a damaged one). */
    read: () => decodeFragment(location.hash),
  };
}
