/*
 * autograd-viz embed: include this script on a course page and every
 *
 *     <pre data-autograd>
 *     x = torch.tensor(2.0, requires_grad=True)
 *     y = x ** 2
 *     y.backward()
 *     </pre>
 *
 * becomes a live autograd graph: an iframe to this server's /embed page, with the program in the
 * URL fragment, resized to its content as the frame reports its height. The frame shows the code
 * under the graph. Options on the <pre>:
 *   data-edit             editable, runnable code
 *   data-code="hidden"    the code folded away under "Code"
 *   data-lang="en|zh"     the frame's language; without it, the closest lang attribute of the
 *                         page (<html lang="zh-CN"> gives Chinese), else the visitor's browser
 *   data-exercise         exercise mode: gradients hidden, the learner predicts them; a value
 *                         chooses which ("x, w", "leaves", "edges"; static/js/exercise-plan.js)
 *   data-title            the frame's accessible name
 * Iframes to /embed that a page already has (the playground's snippet) are resized too.
 *
 * A classic script with no dependencies, so it works on any page; the fragment format is the one
 * static/js/share.js reads: #z=<base64url(deflate-raw(utf-8))>, or #p=<base64url(utf-8)>, then
 * &exercise=<choice>. The fragment never reaches the server.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var origin = new URL(script ? script.src : location.href).origin;
  var MESSAGE = "autograd-viz:height";

  function base64url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function encode(code) {
    var bytes = new TextEncoder().encode(code);
    if (typeof CompressionStream !== "function") return Promise.resolve("p=" + base64url(bytes));
    var stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (buffer) {
      return "z=" + base64url(new Uint8Array(buffer));
    });
  }

  // The program as written in the page, without the indentation the HTML around it added.
  function programOf(pre) {
    var lines = pre.textContent.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    var indent = Infinity;
    lines.forEach(function (line) {
      if (line.trim()) indent = Math.min(indent, line.match(/^[ \t]*/)[0].length);
    });
    if (!isFinite(indent)) indent = 0;
    return lines.map(function (line) { return line.slice(indent); }).join("\n") + "\n";
  }

  // The block's language: data-lang, else the closest lang attribute (zh-CN, zh-Hans, en-GB ...).
  function languageOf(pre) {
    var tag = pre.dataset.lang || (pre.closest("[lang]") || { lang: "" }).lang || "";
    if (/^zh\b/i.test(tag)) return "zh";
    if (/^en\b/i.test(tag)) return "en";
    return "";
  }

  function mount(pre) {
    if (pre.dataset.autogradMounted) return;
    pre.dataset.autogradMounted = "1";
    var query = [];
    var lang = languageOf(pre);
    if (pre.hasAttribute("data-edit")) query.push("edit=1");
    if (pre.dataset.code === "hidden") query.push("code=hidden");
    if (lang) query.push("lang=" + lang);
    var exercise = pre.hasAttribute("data-exercise") ? "&exercise=" + encodeURIComponent(pre.dataset.exercise || "all") : "";
    encode(programOf(pre)).then(function (fragment) {
      fragment += exercise;
      var frame = document.createElement("iframe");
      frame.src = origin + "/embed" + (query.length ? "?" + query.join("&") : "") + "#" + fragment;
      frame.title = pre.dataset.title || "autograd graph";
      frame.loading = "lazy";
      frame.setAttribute("data-autograd-frame", "");
      frame.width = "100%";
      frame.height = "360";
      frame.style.border = "1px solid rgba(127, 127, 127, 0.35)";
      frame.style.borderRadius = "8px";
      frame.style.width = "100%";
      frame.style.display = "block";
      pre.replaceWith(frame);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== MESSAGE) return;
    var height = Math.ceil(Number(event.data.height));
    if (!(height > 0) || height > 20000) return;
    var frames = document.querySelectorAll("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].height = String(height);
        frames[i].style.height = height + "px";
      }
    }
  });

  function scan() {
    var blocks = document.querySelectorAll("pre[data-autograd]");
    for (var i = 0; i < blocks.length; i++) mount(blocks[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
