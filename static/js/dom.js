// The few DOM helpers every view uses. Text always goes in through textContent / text nodes;
// nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function assign(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.setAttribute("class", value);
    else if (key === "text") node.textContent = value;
    else if (key === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && !(node instanceof SVGElement) && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

/** An HTML element: el("button", {class: "btn", "aria-label": "Run", on: {click}}, "Run"). */
export function el(tag, props = {}, ...children) {
  return append(assign(document.createElement(tag), props), children);
}

/** An SVG element with attributes (presentation attributes, so CSS can override them). */
export function svg(tag, attrs = {}, ...children) {
  return append(assign(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function on(target, type, handler, options) {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

export function show(node, visible) {
  node.hidden = !visible;
}

/** A tiny event hub, the `bind(event, handler)` half of every view. */
export function emitter() {
  const handlers = new Map();
  return {
    bind(event, handler) {
      if (!handlers.has(event)) handlers.set(event, []);
      handlers.get(event).push(handler);
    },
    emit(event, ...args) {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
  };
}

/** Offer a Blob as a file download. */
export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, class: "visually-hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Attributes Graphviz writes on every shape, whose values are geometry, colours and fonts, never
// a URL or script: their values need no reading (a 5,000-node drawing has about 100,000 of them).
const INERT_ATTRIBUTES = new Set([
  "class", "id", "d", "points", "x", "y", "transform", "fill", "stroke", "stroke-width",
  "stroke-dasharray", "text-anchor", "font-family", "font-size", "font-weight", "font-style",
]);

// Elements that run script, hold HTML, or set another attribute over time (an <animate> or
// <set> can write a javascript: URL into a link's href after parsing): Graphviz writes none.
const ACTIVE_ELEMENTS = "script, foreignObject, animate, animateMotion, animateTransform, set, discard";

/** Whether an attribute could run script: an event handler, or a javascript: URL. */
function isActiveAttribute(node, name) {
  if (/^on/i.test(name)) return true;
  if (INERT_ATTRIBUTES.has(name)) return false;
  // As the URL parser reads it: tabs and newlines anywhere dropped ("java\tscript:" is
  // javascript:), leading controls and spaces too.
  const value = node.getAttribute(name).replace(/[\t\n\r]/g, "");
  let start = 0;
  while (start < value.length && value.charCodeAt(start) <= 0x20) start += 1;
  return value.slice(start, start + 11).toLowerCase() === "javascript:";
}

/**
 * Parse an SVG document string into an element of this document (never via innerHTML).
 *
 * DOMParser's HTML parser reads a 4 MB Graphviz SVG (5,000 nodes) in about 110 ms, its XML
 * parser in about 300 ms, and gives the same elements: the SVG's tags and attributes in the SVG
 * namespace, in a document of its own that runs no script and loads nothing. A text that is not
 * one <svg> element is refused, as the XML parser would refuse it.
 */
export function parseSvg(text) {
  const doc = new DOMParser().parseFromString(text, "text/html");
  const root = doc.body.firstElementChild;
  if (root?.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.body.childElementCount !== 1) return null;
  // Graphviz output has no scripts, but strip anything active all the same. Names as strings
  // (getAttributeNames), not Attr objects: several times faster on big drawings.
  for (const node of root.querySelectorAll(ACTIVE_ELEMENTS)) node.remove();
  const active = [];
  const check = (node) => {
    for (const name of node.getAttributeNames()) {
      if (isActiveAttribute(node, name)) active.push([node, name]);
    }
  };
  check(root);
  for (const node of root.getElementsByTagName("*")) check(node);
  for (const [node, name] of active) node.removeAttribute(name);
  // Moved, not copied (importNode would clone every element of the parsed document).
  return document.adoptNode(root);
}

export const prefersReducedMotion = () =>
  window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
