// Programs travel in the URL fragment (never sent to the server):
//   #z=<base64url of the deflate-raw compressed UTF-8 program>   when CompressionStream exists
//   #p=<base64url of the UTF-8 program>                          otherwise
// followed by optional fields for what to show (encodeView / decodeView), each left out when it
// has its default, so a link without them (an older one) opens as it always did:
//   &view=computation   the view (default: autograd)
//   &pass=N             the backward pass, 1-based (default: 1)
//   &step=N             the stepper's step, as its counter shows it (default: 0, before the first)
//   &exercise=CHOICE    exercise mode (exercise.js): "all", or the gradients to hide
// static/embed.js writes the same format; decodeFragment reads both.

const canCompress = () =>
  typeof CompressionStream === "function" && typeof DecompressionStream === "function";

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The fragment (without '#') that carries this program. */
export async function encodeProgram(code) {
  const bytes = new TextEncoder().encode(code);
  if (canCompress()) return `z=${toBase64Url(await pipe(bytes, new CompressionStream("deflate-raw")))}`;
  return `p=${toBase64Url(bytes)}`;
}

/** The program in a fragment ('#z=...' or '#p=...'), or null when it carries none or is damaged. */
export async function decodeFragment(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  try {
    if (params.has("z")) {
      if (!canCompress()) return null;
      const bytes = await pipe(fromBase64Url(params.get("z")), new DecompressionStream("deflate-raw"));
      return new TextDecoder().decode(bytes);
    }
    if (params.has("p")) return new TextDecoder().decode(fromBase64Url(params.get("p")));
  } catch {
    return null;
  }
  return null;
}

const VIEWS = ["autograd", "computation"];

const count = (text, least) => {
  const n = /^\d{1,6}$/.test(text ?? "") ? Number(text) : NaN;
  return n >= least ? n : null;
};

/** The fields after the program for this state ("" when every one has its default). */
export function encodeView({ view = "autograd", passPos = 0, stepIndex = -1, exercise = null } = {}) {
  const fields = new URLSearchParams();
  if (view !== "autograd" && VIEWS.includes(view)) fields.set("view", view);
  if (passPos > 0) fields.set("pass", String(passPos + 1));
  if (stepIndex >= 0) fields.set("step", String(stepIndex + 1));
  if (exercise !== null && exercise !== undefined) fields.set("exercise", exercise || "all");
  const text = fields.toString();
  return text ? `&${text}` : "";
}

/** What a fragment asks to show: {view, passPos (0-based), stepIndex (-1: none), exercise (null: off)}. */
export function decodeView(fragment) {
  const fields = new URLSearchParams(fragment.replace(/^#/, ""));
  const view = fields.get("view");
  const pass = count(fields.get("pass"), 1);
  const step = count(fields.get("step"), 0);
  return {
    view: VIEWS.includes(view) ? view : "autograd",
    passPos: pass === null ? 0 : pass - 1,
    stepIndex: step === null ? -1 : step - 1,
    exercise: fields.has("exercise") ? fields.get("exercise").slice(0, 200) : null,
  };
}

export function playgroundUrl(fragment) {
  return `${location.origin}/#${fragment}`;
}

export function embedUrl(fragment, { edit = false } = {}) {
  return `${location.origin}/embed${edit ? "?edit=1" : ""}#${fragment}`;
}

const escapeText = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttribute = (text) => escapeText(text).replace(/"/g, "&quot;");

/** The HTML a course page pastes to show this program's graph. */
export function iframeSnippet(fragment, height = 420) {
  const src = escapeAttribute(embedUrl(fragment));
  return `<iframe src="${src}" title="autograd graph" width="100%" height="${height}" loading="lazy"></iframe>`;
}

/**
 * A course page that loads embed.js sizes the iframe to its content, or turns <pre data-autograd>
 * into graphs. `exercise`: the exercise choice (null: none), written as data-exercise.
 */
export function scriptSnippet(code, { exercise = null } = {}) {
  const mark = exercise === null ? "" : exercise && exercise !== "all" ? ` data-exercise="${escapeAttribute(exercise)}"` : " data-exercise";
  return `<script src="${location.origin}/static/embed.js" defer></script>\n<pre data-autograd${mark}>\n${escapeText(code).trimEnd()}\n</pre>`;
}

/** Copy text to the clipboard; false when the browser refuses (the caller then selects it). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
