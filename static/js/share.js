// Programs travel in the URL fragment (never sent to the server):
//   #z=<base64url of the deflate-raw compressed UTF-8 program>   when CompressionStream exists
//   #p=<base64url of the UTF-8 program>                          otherwise
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

export function playgroundUrl(fragment) {
  return `${location.origin}/#${fragment}`;
}

export function embedUrl(fragment, { edit = false } = {}) {
  return `${location.origin}/embed${edit ? "?edit=1" : ""}#${fragment}`;
}

/** The HTML a course page pastes to show this program's graph. */
export function iframeSnippet(fragment, height = 420) {
  const src = embedUrl(fragment);
  return `<iframe src="${src}" title="autograd graph" width="100%" height="${height}" loading="lazy"></iframe>`;
}

/** A course page that loads embed.js sizes the iframe to its content, or turns <pre data-autograd> into graphs. */
export function scriptSnippet(code) {
  const escaped = code.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<script src="${location.origin}/static/embed.js" defer></script>\n<pre data-autograd>\n${escaped.trimEnd()}\n</pre>`;
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
