// Exercise mode's pure part (exercise.js is its view): which gradients a teacher's choice hides,
// at which backward step each is asked, how a learner's typed prediction is read, and when it
// counts as right. No DOM and no network here: a prediction is compared in the page, never sent.
//
// A choice is the text of data-exercise (or &exercise= in a link):
//   "" or "all"   every leaf's .grad and every gradient along an edge (the default)
//   "leaves"      every leaf that requires grad: its .grad and the gradients sent into it
//   "edges"       every gradient along an edge
//   x, w.grad     the tensors of these names: their .grad and the gradients sent into them
// Words combine ("leaves, y"); commas or spaces separate them.

/** Tensors with more elements than this are not asked (their gradients stay in view). */
export const MAX_ELEMENTS = 16;
/** A prediction is right within ABS_TOLERANCE + REL_TOLERANCE × |expected|, element by element. */
export const REL_TOLERANCE = 0.01;
export const ABS_TOLERANCE = 0.001;

const ALL_WORDS = new Set(["", "all", "1", "true", "yes"]);

/** The choice in `text` as {leaves, edges, names}; null when `text` is null (exercise mode off). */
export function parseChoice(text) {
  if (text === null || text === undefined) return null;
  const words = String(text)
    .split(/[\s,，、]+/)
    .map((word) => word.replace(/\.grad$/, ""))
    .filter(Boolean);
  if (!words.length || words.some((word) => ALL_WORDS.has(word.toLowerCase()))) {
    return { leaves: true, edges: true, names: new Set() };
  }
  return {
    leaves: words.includes("leaves"),
    edges: words.includes("edges"),
    names: new Set(words.filter((word) => word !== "leaves" && word !== "edges")),
  };
}

const SPECIAL = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** The numbers of a tensor value (the API's {text, data, shape, dtype}), flat; null when it has none. */
export function valueNumbers(value) {
  if (!value || value.data === null || value.data === undefined || /complex/.test(value.dtype ?? "")) return null;
  const out = [];
  const walk = (item) => {
    if (Array.isArray(item)) return item.every(walk);
    if (typeof item === "number") out.push(item);
    else if (typeof item === "boolean") out.push(Number(item));
    else if (item in SPECIAL) out.push(SPECIAL[item]);
    else return false;
    return true;
  };
  return walk(value.data) ? out : null;
}

const askable = (value) => {
  const numbers = valueNumbers(value);
  return numbers !== null && numbers.length > 0 && numbers.length <= MAX_ELEMENTS;
};

function chosenTensor(node, choice) {
  if (node?.kind !== "tensor") return false;
  if (choice.leaves && node.is_leaf && node.requires_grad) return true;
  return [node.label, node.name, ...(node.names ?? [])].some((name) => name && choice.names.has(name));
}

/** The key of a backward step: the pass's index as the API numbers it, and the step's position. */
export const stepKey = (passIndex, stepIndex) => `${passIndex}:${stepIndex}`;

/**
 * The questions of an /api/graph answer for `choice`: a Map from stepKey to the step's questions,
 * each {key, kind: "edge" | "grad", node (the tensor or function the gradient is for), from (the
 * function node that sends it, for an edge), holder and field (where the answer keeps the value),
 * value, numbers}. A function step asks the gradients it sends to its inputs; a leaf's
 * AccumulateGrad step asks its .grad after the step.
 */
export function planExercise(graph, choice) {
  const plan = new Map();
  if (!graph || !choice) return plan;
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const edges = new Map(graph.edges.map((edge) => [edge.id, edge]));
  for (const pass of graph.backward ?? []) {
    pass.steps.forEach((step, stepIndex) => {
      const key = stepKey(pass.index, stepIndex);
      const questions = [];
      const ask = (fields) => questions.push({ key: `${key}:${questions.length}`, numbers: valueNumbers(fields.holder[fields.field]), value: fields.holder[fields.field], ...fields });
      const node = nodes.get(step.node);
      if (node?.kind === "tensor") {
        if (chosenTensor(node, choice) && askable(step.grad)) ask({ kind: "grad", node: node.id, holder: step, field: "grad" });
      } else {
        for (const edgeId of step.edges) {
          const edge = edges.get(edgeId);
          if (!edge || edge.target !== step.node) continue; // a gradient that came in, asked at its own step
          const entry = edge.grads?.find((grad) => grad.backward_pass === pass.index);
          if (!askable(entry?.value)) continue;
          if (choice.edges || chosenTensor(nodes.get(edge.source), choice)) {
            ask({ kind: "edge", node: edge.source, from: step.node, holder: entry, field: "value" });
          }
        }
      }
      if (questions.length) plan.set(key, questions);
    });
  }
  return plan;
}

const FULL_WIDTH = { "，": ",", "、": ",", "［": "[", "］": "]", "（": "(", "）": ")", "－": "-", "−": "-", "．": ".", "／": "/", "\u3000": " ", "＋": "+", "ｅ": "e" };

function readNumber(word) {
  if (/^[+-]?nan$/i.test(word)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(word)) return word.startsWith("-") ? -Infinity : Infinity;
  const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const fraction = /^([^/]+)\/([^/]+)$/.exec(word);
  if (fraction && decimal.test(fraction[1]) && decimal.test(fraction[2]) && Number(fraction[2]) !== 0) {
    return Number(fraction[1]) / Number(fraction[2]);
  }
  return decimal.test(word) ? Number(word) : null;
}

/**
 * A typed prediction as a flat list of numbers, or null when it is not one: "4", "-0.5", "1/2",
 * "[1, 2]", "[[1, 2], [3, 4]]", "tensor([1., 2.])", with full-width digits and punctuation too.
 */
export function parseAnswer(text) {
  let clean = String(text ?? "")
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[，、［］（）－−．／\u3000＋ｅ]/g, (mark) => FULL_WIDTH[mark])
    .trim();
  const wrapped = /^tensor\s*\((.*)\)$/is.exec(clean);
  if (wrapped) clean = wrapped[1];
  const words = clean.replace(/[[\]]/g, " ").split(/[\s,;]+/).filter(Boolean);
  if (!words.length || words.length > MAX_ELEMENTS) return null;
  const numbers = words.map(readNumber);
  return numbers.some((number) => number === null) ? null : numbers;
}

/** Whether the predicted `numbers` match the `expected` ones, element by element, within tolerance. */
export function isClose(numbers, expected) {
  if (!numbers || !expected || numbers.length !== expected.length) return false;
  return numbers.every((got, i) => {
    const want = expected[i];
    if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
    if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want;
    return Math.abs(got - want) <= ABS_TOLERANCE + REL_TOLERANCE * Math.abs(want);
  });
}
