// The computation view: the same graph drawn the way textbooks draw y = wx + b, tensors as
// rounded boxes and operations as small circles ("×", "+", "x²"). It is laid out here, with no
// Graphviz: longest-path layers, virtual nodes on long edges, barycentric ordering to reduce
// crossings, then x positions pulled toward neighbours. Node and edge ids are the JSON ids, so
// everything that works on the autograd view's SVG works on this one too.

import { svg } from "./dom.js";
import { EDGE_STYLE, FUNCTION_STYLE, ROLE_STYLE } from "./palette.js";
import { nodeLabel, shapeText } from "./labels.js";
import { textWidth } from "./text-width.js";

const FONT = "Helvetica,Arial,sans-serif";
const TEXT_COLOR = "#1a202c";
const LAYER_GAP = 34;
const NODE_GAP = 34;
const DUMMY_GAP = 12;
const PAD = 12;

const SYMBOLS = {
  Add: "+", Sub: "−", Rsub: "−", Mul: "×", Div: "÷", Neg: "−x", Pow: "xⁿ", Sqrt: "√", Rsqrt: "1/√",
  Exp: "exp", Log: "log", Log1p: "log1p", Tanh: "tanh", Sigmoid: "σ", Relu: "ReLU", LeakyRelu: "LReLU",
  Gelu: "GELU", Abs: "|x|", Sum: "Σ", Mean: "mean", Prod: "∏", Max: "max", Min: "min", Amax: "max",
  Mm: "@", MatMul: "@", Mv: "@", Bmm: "@", Dot: "·", Addmm: "@ +", Addmv: "@ +", T: "ᵀ", Transpose: "ᵀ",
  Permute: "perm", View: "view", Reshape: "view", UnsafeView: "view", Expand: "expand", Clone: "clone",
  Squeeze: "squeeze", Unsqueeze: "unsq", Select: "[i]", Slice: "[:]", Index: "[ ]", Cat: "cat",
  Stack: "stack", Softmax: "softmax", LogSoftmax: "logσmax", NllLoss: "NLL", MseLoss: "MSE",
  L1Loss: "L1", BinaryCrossEntropy: "BCE", BinaryCrossEntropyWithLogits: "BCE", Sin: "sin", Cos: "cos",
  Clamp: "clamp", Where: "where", Norm: "‖x‖", LinalgVectorNorm: "‖x‖", Copy: "copy", ToCopy: "to",
};
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** The operation a function node stands for: "MulBackward0" -> "×", "PowBackward0" (exponent 2) -> "x²". */
export function opSymbol(node) {
  const base = node.op.replace(/Backward\d*$/, "");
  const saved = Object.fromEntries((node.saved ?? []).filter((s) => s.text != null).map((s) => [s.name, s.text]));
  if (base === "Pow" && saved.exponent !== undefined) {
    const exp = String(Number(saved.exponent));
    if (/^-?\d$/.test(exp)) return `x${[...exp].map((ch) => SUPERSCRIPT[ch]).join("")}`;
    return `x^${exp}`;
  }
  const symbol = SYMBOLS[base] ?? base.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  if (/^(Mul|Div|Add|Sub)$/.test(base) && saved.other !== undefined && node.op.endsWith("1")) {
    return `${symbol}${Number(saved.other)}`;
  }
  return symbol;
}

const clip = (text, max = 22) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function sizeOf(node) {
  if (node.kind === "function") {
    const r = Math.max(15, textWidth(opSymbol(node), 12) / 2 + 7);
    return { w: 2 * r, h: 2 * r, r };
  }
  const w = Math.max(textWidth(clip(nodeLabel(node)), 11) + 4, textWidth(shapeText(node.shape), 10)) + 18;
  return { w: Math.max(w, 46), h: 34 };
}

/**
 * Layered layout: {pos: Map(id -> {x, y, w, h, r?}), routes: Map(edgeId -> [{x, y}...]), width, height}.
 * `measure(node)` gives a node's {w, h} (by default, the size this view draws it at).
 */
export function layout(nodes, edges, measure = sizeOf) {
  const ids = nodes.map((node) => node.id);
  const known = new Set(ids);
  const usable = edges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target);
  const succ = new Map(ids.map((id) => [id, []]));
  const pred = new Map(ids.map((id) => [id, []]));
  for (const e of usable) {
    succ.get(e.source).push(e.target);
    pred.get(e.target).push(e.source);
  }

  // Topological order (Kahn), ties broken by id order; anything left (a cycle) goes last.
  const indegree = new Map(ids.map((id) => [id, pred.get(id).length]));
  const order = [];
  const queue = ids.filter((id) => indegree.get(id) === 0);
  while (queue.length) {
    const id = queue.shift();
    order.push(id);
    for (const next of succ.get(id)) {
      indegree.set(next, indegree.get(next) - 1);
      if (indegree.get(next) === 0) queue.push(next);
    }
  }
  for (const id of ids) if (!order.includes(id)) order.push(id);

  // Longest path from the inputs; then inputs sit just above their first consumer (b beside +).
  const layer = new Map();
  for (const id of order) layer.set(id, Math.max(0, ...pred.get(id).map((p) => (layer.get(p) ?? -1) + 1)));
  for (const id of [...order].reverse()) {
    if (pred.get(id).length === 0 && succ.get(id).length) {
      layer.set(id, Math.max(0, Math.min(...succ.get(id).map((s) => layer.get(s))) - 1));
    }
  }

  // Virtual nodes break edges that span several layers, so they can be routed around nodes.
  const size = new Map(nodes.map((node) => [node.id, measure(node)]));
  const chains = new Map();
  const up = new Map(ids.map((id) => [id, []]));
  const down = new Map(ids.map((id) => [id, []]));
  const link = (a, b) => {
    down.get(a).push(b);
    up.get(b).push(a);
  };
  for (const e of usable) {
    const span = layer.get(e.target) - layer.get(e.source);
    const chain = [e.source];
    for (let k = 1; k < span; k += 1) {
      const id = `${e.id}~${k}`;
      layer.set(id, layer.get(e.source) + k);
      size.set(id, { w: 0, h: 0, dummy: true });
      up.set(id, []);
      down.set(id, []);
      chain.push(id);
    }
    chain.push(e.target);
    for (let k = 1; k < chain.length; k += 1) if (span > 0) link(chain[k - 1], chain[k]);
    chains.set(e.id, chain);
  }

  const depth = Math.max(0, ...layer.values()) + 1;
  const layers = Array.from({ length: depth }, () => []);
  const rank = new Map(order.map((id, index) => [id, index]));
  for (const chain of chains.values()) chain.slice(1, -1).forEach((id) => rank.set(id, rank.get(chain[0]) + 0.5));
  for (const [id, l] of layer) layers[l].push(id);
  for (const row of layers) row.sort((a, b) => rank.get(a) - rank.get(b));

  // Barycentric ordering, alternating downward and upward sweeps; keep the best seen.
  const index = new Map();
  const reindex = () => layers.forEach((row) => row.forEach((id, i) => index.set(id, i)));
  const crossings = () => {
    let count = 0;
    for (let l = 0; l + 1 < layers.length; l += 1) {
      const pairs = layers[l].flatMap((a) => down.get(a).map((b) => [index.get(a), index.get(b)]));
      for (let i = 0; i < pairs.length; i += 1) {
        for (let j = i + 1; j < pairs.length; j += 1) {
          if ((pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0) count += 1;
        }
      }
    }
    return count;
  };
  reindex();
  let best = layers.map((row) => [...row]);
  let bestCount = crossings();
  for (let sweep = 0; sweep < 12 && bestCount > 0; sweep += 1) {
    const downward = sweep % 2 === 0;
    const range = downward ? [...layers.keys()].slice(1) : [...layers.keys()].reverse().slice(1);
    for (const l of range) {
      const neighbours = downward ? up : down;
      const centre = new Map(
        layers[l].map((id, i) => {
          const near = neighbours.get(id).map((n) => index.get(n));
          return [id, near.length ? near.reduce((a, b) => a + b, 0) / near.length : i];
        }),
      );
      layers[l].sort((a, b) => centre.get(a) - centre.get(b));
      layers[l].forEach((id, i) => index.set(id, i));
    }
    const count = crossings();
    if (count < bestCount) {
      bestCount = count;
      best = layers.map((row) => [...row]);
    }
  }
  layers.splice(0, layers.length, ...best);
  reindex();

  // x: pack each layer, then pull nodes toward the mean of their neighbours, keeping gaps.
  const x = new Map();
  const gap = (a, b) => (size.get(a).dummy || size.get(b).dummy ? DUMMY_GAP : NODE_GAP);
  const separation = (a, b) => size.get(a).w / 2 + size.get(b).w / 2 + gap(a, b);
  for (const row of layers) {
    let cursor = 0;
    row.forEach((id, i) => {
      if (i > 0) cursor += separation(row[i - 1], id);
      x.set(id, cursor);
    });
    const shift = cursor / 2;
    for (const id of row) x.set(id, x.get(id) - shift);
  }
  // Alternate upward sweeps (toward children) and downward ones (toward parents), ending
  // downward: a node sits centred under its inputs, as y = wx + b is drawn.
  for (let pass = 0; pass < 7; pass += 1) {
    const downward = pass % 2 === 0;
    const rows = downward ? layers : [...layers].reverse();
    const neighbours = downward ? up : down;
    for (const row of rows) {
      const want = row.map((id) => {
        const near = neighbours.get(id).map((n) => x.get(n));
        return near.length ? near.reduce((a, b) => a + b, 0) / near.length : x.get(id);
      });
      for (let i = 1; i < row.length; i += 1) want[i] = Math.max(want[i], want[i - 1] + separation(row[i - 1], row[i]));
      for (let i = row.length - 2; i >= 0; i -= 1) want[i] = Math.min(want[i], want[i + 1] - separation(row[i], row[i + 1]));
      for (let i = 1; i < row.length; i += 1) want[i] = Math.max(want[i], want[i - 1] + separation(row[i - 1], row[i]));
      row.forEach((id, i) => x.set(id, want[i]));
    }
  }

  // y: layers stacked with their tallest node.
  const y = new Map();
  let top = 0;
  for (const row of layers) {
    const height = Math.max(8, ...row.map((id) => size.get(id).h));
    for (const id of row) y.set(id, top + height / 2);
    top += height + LAYER_GAP;
  }

  let minX = Infinity;
  let maxX = -Infinity;
  for (const [id, value] of x) {
    minX = Math.min(minX, value - size.get(id).w / 2);
    maxX = Math.max(maxX, value + size.get(id).w / 2);
  }
  const pos = new Map();
  for (const id of [...x.keys()]) pos.set(id, { ...size.get(id), x: x.get(id) - minX + PAD, y: y.get(id) + PAD });

  // Routes: bottom of the source, through the virtual nodes, to the top of the target.
  const parallel = new Map();
  for (const e of usable) {
    const key = `${e.source}>${e.target}`;
    parallel.set(key, [...(parallel.get(key) ?? []), e.id]);
  }
  const routes = new Map();
  for (const e of usable) {
    const siblings = parallel.get(`${e.source}>${e.target}`);
    const offset = (siblings.indexOf(e.id) - (siblings.length - 1) / 2) * 10;
    const points = chains.get(e.id).map((id) => ({ x: pos.get(id).x, y: pos.get(id).y }));
    const from = pos.get(e.source);
    const to = pos.get(e.target); // not `t`: that is the translation function
    points[0] = { x: from.x + offset, y: from.y + from.h / 2 };
    points[points.length - 1] = { x: to.x + offset, y: to.y - to.h / 2 };
    routes.set(e.id, points);
  }
  return { pos, routes, width: maxX - minX + 2 * PAD, height: Math.max(top - LAYER_GAP, 0) + 2 * PAD };
}

function curve(points) {
  let d = `M${points[0].x.toFixed(1)},${points[0].y.toFixed(1)}`;
  for (let i = 1; i < points.length; i += 1) {
    const p = points[i - 1];
    const q = points[i];
    const mid = (p.y + q.y) / 2;
    d += ` C${p.x.toFixed(1)},${mid.toFixed(1)} ${q.x.toFixed(1)},${mid.toFixed(1)} ${q.x.toFixed(1)},${q.y.toFixed(1)}`;
  }
  return d;
}

const text = (x, y, content, attrs = {}) =>
  svg("text", { x, y, "text-anchor": "middle", "font-family": FONT, "font-size": 11, fill: TEXT_COLOR, ...attrs }, content);

/**
 * A line break between a node's texts, as Graphviz writes them: the texts then read as words
 * ("x scalar", not "xscalar") to whatever reads the node's text (assistive technology, the
 * accessible-name checks, a copy of the drawing).
 */
function spaceTexts(group) {
  for (const line of [...group.querySelectorAll("text")].slice(1)) line.before("\n");
  return group;
}

/**
 * An <svg> of the computation view, shaped like Graphviz output (g#graph0 > g.node / g.edge).
 * Another kind of node (module-fold-view.js's folded modules) is sized by `measure(node)` and
 * drawn by `drawNode(node, place)` (a <g class="node">), each returning null for the nodes
 * this view draws itself.
 */
export function buildComputationSvg(graph, { measure = () => null, drawNode = () => null } = {}) {
  const { pos, routes, width, height } = layout(graph.nodes, graph.edges, (node) => measure(node) ?? sizeOf(node));
  const root = svg("g", { id: "graph0", class: "graph" });
  for (const e of graph.edges) {
    const points = routes.get(e.id);
    if (!points) continue;
    const style = EDGE_STYLE[e.kind] ?? EDGE_STYLE.data;
    const end = points[points.length - 1];
    const shortened = points.map((p, i) => (i === points.length - 1 ? { x: p.x, y: p.y - 6 } : p));
    const path = svg("path", { d: curve(shortened), fill: "none", stroke: style.stroke, "stroke-width": 1.2 });
    if (style.dash) path.setAttribute("stroke-dasharray", style.dash);
    const head = svg("polygon", {
      points: `${end.x - 3.5},${end.y - 7} ${end.x},${end.y} ${end.x + 3.5},${end.y - 7}`,
      fill: style.hollow ? "none" : style.stroke,
      stroke: style.stroke,
    });
    const group = svg("g", { id: e.id, class: "edge" }, path, head);
    if (e.kind === "detach") {
      const mid = points[Math.floor(points.length / 2)];
      group.append(text(mid.x + 18, mid.y - 2, "detach", { "font-size": 9, fill: EDGE_STYLE.detach.stroke }));
    }
    root.append(group);
  }
  for (const node of graph.nodes) {
    const p = pos.get(node.id);
    const other = drawNode(node, p);
    if (other) {
      root.append(spaceTexts(other));
      continue;
    }
    const group = svg("g", { id: node.id, class: "node" });
    if (node.kind === "function") {
      group.append(
        svg("circle", { cx: p.x, cy: p.y, r: p.r, fill: FUNCTION_STYLE.fill, stroke: FUNCTION_STYLE.stroke, "stroke-width": 1.2 }),
        text(p.x, p.y + 4, opSymbol(node), { "font-size": 12 }),
      );
    } else {
      const style = ROLE_STYLE[node.role] ?? ROLE_STYLE.named;
      const box = svg("rect", {
        x: p.x - p.w / 2, y: p.y - p.h / 2, width: p.w, height: p.h, rx: 7,
        fill: style.fill, stroke: style.stroke, "stroke-width": style.width ?? 1.2,
      });
      if (style.dash) box.setAttribute("stroke-dasharray", style.dash);
      group.append(
        box,
        text(p.x, p.y - 2, clip(nodeLabel(node)), { "font-weight": "bold" }),
        text(p.x, p.y + 11, shapeText(node.shape), { "font-size": 10, fill: "#4a5568" }),
      );
    }
    root.append(spaceTexts(group));
  }
  return svg(
    "svg",
    {
      width: Math.ceil(width),
      height: Math.ceil(height),
      viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
      class: "computation-svg",
    },
    root,
  );
}
