// The two calls the pages make. Every answer comes back as a plain record, so callers never
// have to look at HTTP status codes:
//   {ok: true, graph}                          the program ran (graph.error may still be set)
//   {ok: false, error: {type, message, line, col}}   refused, busy, offline, ...

import { lang } from "./i18n.js";

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };
const MAX_RETRIES = 2;
// A program's run changes nothing on the server and gives the same answer each time, so a request
// whose connection broke (a replica behind the proxy killed while its answer was on its way; the
// proxy can only move a request to another replica before the answer has started) is sent once
// more, after this pause.
const CUT_RETRIES = 1;
const CUT_PAUSE_MS = 250;

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException("aborted", "AbortError"));
    });
  });

export async function fetchExamples() {
  const response = await fetch("/api/examples", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /api/examples answered ${response.status}`);
  return response.json();
}

/** POST /api/graph; retries a 429 after its Retry-After (twice at most) and a request whose
 * connection broke, before or during the answer (once). */
export async function runProgram(code, { signal } = {}) {
  let cut = 0;
  for (let attempt = 0; ; attempt += 1) {
    let response;
    let body = null;
    try {
      response = await fetch("/api/graph", {
        method: "POST",
        headers: JSON_HEADERS,
        // lang: the words the server's drawing adds ("scalar", "backward root") in the UI's language.
        body: JSON.stringify({ code, dot: true, svg: true, lang: lang() }),
        signal,
      });
      if (response.status === 429 && attempt < MAX_RETRIES) {
        const seconds = Number(response.headers.get("retry-after")) || 1;
        await sleep(Math.min(seconds, 5) * 1000, signal);
        continue;
      }
      // A body cut off halfway rejects here with a TypeError, like a refused connection.
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    } catch (exc) {
      if (exc.name === "AbortError") throw exc;
      if (cut < CUT_RETRIES) {
        cut += 1;
        await sleep(CUT_PAUSE_MS, signal);
        continue;
      }
      return { ok: false, error: { type: "NetworkError", message: String(exc.message || exc) } };
    }
    if (response.ok && body) return { ok: true, graph: body };
    if (body?.error) return { ok: false, status: response.status, error: body.error };
    const message = body?.detail?.[0]?.msg ?? `the server answered ${response.status}`;
    return { ok: false, status: response.status, error: { type: `HTTP ${response.status}`, message } };
  }
}
