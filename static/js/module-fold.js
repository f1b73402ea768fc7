// Folding a graph by nn.Module, the pure part (no DOM). Every function node carries `module`, the
// path of the innermost module whose call made it (`model.layers.7.0`); the path's prefixes are
// the modules around it. A tensor node lives in the deepest module that holds every function
// node next to it (a parameter: the module that uses it; an input made outside: none).
//
// moduleTree() turns a graph model (graph-model.js) into that tree, with runs: consecutive
// sibling modules of the same structure (20 identical Linear + ReLU blocks) that fold into one
// block marked ×20. foldedView() folds the model for a set of opened modules and runs, with
// graph-model.js's foldAll(); firstOpened() chooses what a large graph opens with.

import { foldAll } from "./graph-model.js";

/** Graphs with more nodes than this open folded, and open modules only while this many show. */
export const FOLD_LIMIT = 60;
/**
 * The most nodes a folded picture draws (on computation-view.js's layered layout, made for
 * hundreds of nodes, not thousands): a graph that folds to more is shown whole, as the views
 * draw large graphs.
 */
export const FOLD_DRAW_MAX = 400;
const RUN_PREFIX = "fold:run:";
const MODULE_PREFIX = "fold:";

/** The name of module `path` inside its parent (`7` for `model.layers.7`). */
const lastName = (path) => path.slice(path.lastIndexOf(".") + 1);

/**
 * The paths of module `path` and of every module around it, outermost first (`model`,
 * `model.layers`, `model.layers.7`), each list made once: every node asks for its module's.
 */
function prefixLists() {
  const known = new Map();
  return (path) => {
    if (!path) return [];
    let found = known.get(path);
    if (!found) {
      const at = path.split(".");
      found = at.map((_, k) => at.slice(0, k + 1).join("."));
      known.set(path, found);
    }
    return found;
  };
}

/** Whether any function node of `model` was made inside a module: without one, nothing folds. */
export const hasModules = (model) => model.nodes.some((node) => node.kind === "function" && node.module);

/** Each node's module path (null: outside every module); `prefixes` as prefixLists() makes. */
export function homes(model, prefixes = prefixLists()) {
  const home = new Map();
  for (const node of model.nodes) if (node.kind === "function") home.set(node.id, node.module ?? null);
  for (const node of model.nodes) {
    if (node.kind === "function") continue;
    const made = model.incoming(node.id).some((edge) => model.node(edge.source)?.kind === "function");
    const near = model
      .edgesAt(node.id)
      .map((edge) => (edge.source === node.id ? edge.target : edge.source))
      .filter((id) => model.node(id)?.kind === "function");
    // A tensor nothing made, other than a parameter (the program's input), stays outside.
    if (!near.length || (!made && node.role !== "parameter")) {
      home.set(node.id, null);
      continue;
    }
    // The deepest path around every neighbour's: prefix lists agree up to where the paths part.
    const common = prefixes(home.get(near[0]));
    let depth = common.length;
    for (let i = 1; i < near.length && depth; i += 1) {
      const other = prefixes(home.get(near[i]));
      let k = 0;
      while (k < depth && k < other.length && common[k] === other[k]) k += 1;
      depth = k;
    }
    home.set(node.id, depth ? common[depth - 1] : null);
  }
  return home;
}

const describe = (node) => (node.kind === "function" ? node.op : `${node.role}${JSON.stringify(node.shape)}`);

/** Children in the order the program ran them: by index when they are numbered, else forward order. */
function ordered(children, modules) {
  if (children.every((path) => /^\d+$/.test(lastName(path)))) return children.sort((a, b) => Number(lastName(a)) - Number(lastName(b)));
  // Node ids count from the roots back: the module with the highest id ran first.
  return children.sort((a, b) => modules.get(b).latest - modules.get(a).latest);
}

/**
 * The module tree of `model`: {home: Map(node id -> path), modules: Map(path -> {path, type,
 * parent, children, members, own, latest}), top: [paths], runs: Map(key -> run), runOf:
 * Map(path -> run), between: Map(node id -> run)}. A run is {key, parent, paths, type}: 2 or
 * more consecutive siblings whose types, nodes (op, or role and shape, at the same place
 * inside) and children are the same; `between` holds the nodes that only link its blocks;
 * prefixes(path): module `path` and the modules around it, outermost first.
 */
export function moduleTree(model) {
  const prefixes = prefixLists();
  const home = homes(model, prefixes);
  const modules = new Map();
  const top = [];
  const ensure = (path) => {
    if (modules.has(path)) return modules.get(path);
    const parent = prefixes(path).at(-2) ?? null;
    const entry = { path, type: "", parent, children: [], members: [], own: [], latest: -1 };
    modules.set(path, entry);
    if (parent === null) top.push(path);
    else ensure(parent).children.push(path);
    return entry;
  };
  model.nodes.forEach((node, index) => {
    const path = home.get(node.id);
    if (!path) return;
    ensure(path).own.push(node.id);
    for (const prefix of prefixes(path)) {
      const entry = ensure(prefix);
      entry.members.push(node.id);
      entry.latest = Math.max(entry.latest, index);
    }
    if (node.kind === "function" && node.module === path && node.module_type) modules.get(path).type = node.module_type;
  });
  // A module that made no node itself (a Sequential, a ModuleList) has its type in the answer's table.
  for (const row of model.source?.modules ?? []) if (modules.has(row.path) && !modules.get(row.path).type) modules.get(row.path).type = row.type;
  const signatures = new Map();
  const signature = (path) => {
    if (signatures.has(path)) return signatures.get(path);
    const entry = modules.get(path);
    const inside = entry.own.map((id) => describe(model.node(id))).sort();
    const text = `${entry.type}(${inside.join(",")}|${entry.children.map((child) => `${lastName(child).replace(/^\d+$/, "#")}=${signature(child)}`).sort().join(";")})`;
    signatures.set(path, text);
    return text;
  };
  const runs = new Map();
  const runOf = new Map();
  const findRuns = (parent, children) => {
    const list = ordered(children, modules);
    for (let i = 0; i < list.length; ) {
      let j = i + 1;
      while (j < list.length && signature(list[j]) === signature(list[i])) j += 1;
      if (j - i >= 2 && modules.get(list[i]).members.length >= 2) {
        const run = { key: `${RUN_PREFIX}${list[i]}`, parent, paths: list.slice(i, j), type: modules.get(list[i]).type };
        runs.set(run.key, run);
        for (const path of run.paths) runOf.set(path, run);
      }
      i = j;
    }
  };
  findRuns(null, top);
  for (const [path, entry] of modules) findRuns(path, entry.children);
  // The nodes that only link blocks of a run (the `x` a loop binds from one block to the next, a
  // `torch.relu` the outer forward() applies between them) are the run's: a connected part of
  // the nodes outside every block, in the run's parent module or further out, made from the run
  // and read by it, and next to nothing else.
  const between = new Map();
  const around = (path, parent) => path === null || parent === path || (parent !== null && parent.startsWith(`${path}.`));
  const blockRun = new Map(model.nodes.map((node) => [node.id, runOfNode(runOf, prefixes(home.get(node.id)))]));
  const seen = new Set();
  for (const start of model.nodes) {
    if (blockRun.get(start.id) || seen.has(start.id)) continue;
    const part = [start.id];
    seen.add(start.id);
    const found = new Set();
    let made = false;
    let read = false;
    for (let i = 0; i < part.length; i += 1) {
      for (const edge of model.edgesAt(part[i])) {
        const other = edge.source === part[i] ? edge.target : edge.source;
        const run = blockRun.get(other);
        if (run) {
          found.add(run);
          if (edge.target === part[i]) made = true;
          else read = true;
        } else if (!seen.has(other)) {
          seen.add(other);
          part.push(other);
        }
      }
    }
    const [run] = found;
    if (found.size !== 1 || !made || !read || !part.every((id) => around(home.get(id), run.parent))) continue;
    for (const id of part) between.set(id, run);
  }
  for (const entry of modules.values()) {
    if (entry.own.some((id) => between.has(id))) entry.own = entry.own.filter((id) => !between.has(id));
  }
  return { home, modules, top: ordered(top, modules), runs, runOf, between, prefixes };
}

/** The run that a module (`around`: its prefixes(), outermost first) or one around it is in, or null. */
function runOfNode(runOf, around) {
  for (let k = around.length - 1; k >= 0; k -= 1) {
    const run = runOf.get(around[k]);
    if (run) return run;
  }
  return null;
}

/** Whether a module folds at all: one node folded is no fold. */
const foldable = (tree, path) => tree.modules.get(path).members.length >= 2;

/** The folded module or run that module `path` shows in (null: none, every module around it is open). */
function foldedAround(tree, opened, path) {
  for (const prefix of tree.prefixes(path)) {
    const run = tree.runOf.get(prefix);
    if (run && !opened.has(run.key)) return run.key;
    if (!opened.has(prefix) && foldable(tree, prefix)) return `${MODULE_PREFIX}${prefix}`;
  }
  return null;
}

/** The id node `id` is shown as, with the modules and runs in `opened` open: itself, a module or a run. */
export function shownAs(tree, opened, id) {
  const folded = foldedAround(tree, opened, tree.home.get(id));
  if (folded) return folded;
  const run = tree.between.get(id);
  if (!run || opened.has(run.key)) return id;
  return foldedAround(tree, opened, run.paths[0]) ?? run.key; // the run, or what folds it
}

/** What a shown id folds: {kind: "module", path} or {kind: "run", key}, or null for a node. */
export function foldOf(id) {
  if (typeof id !== "string") return null;
  if (id.startsWith(RUN_PREFIX)) return { kind: "run", key: id };
  if (id.startsWith(MODULE_PREFIX)) return { kind: "module", path: id.slice(MODULE_PREFIX.length) };
  return null;
}

/** What must be open for node `id` (or, with id null, module `path`'s inside) to show: its modules and their runs. */
export function opening(tree, id, path = tree.home.get(id)) {
  const needed = [];
  for (const prefix of tree.prefixes(path)) {
    const run = tree.runOf.get(prefix);
    if (run) needed.push(run.key);
    needed.push(prefix);
  }
  const run = tree.between.get(id);
  if (run) needed.push(...opening(tree, null, run.parent), run.key);
  return needed;
}

/** How many ids show inside module `path` (null: the top) when it opens and what it holds stays folded. */
function openCost(tree, path) {
  const entry = path === null ? null : tree.modules.get(path);
  const children = entry ? entry.children : tree.top;
  let count = entry ? entry.own.length : 0;
  const seen = new Set();
  for (const child of children) {
    const run = tree.runOf.get(child);
    if (run && seen.has(run.key)) continue;
    if (run) seen.add(run.key);
    count += run || foldable(tree, child) ? 1 : tree.modules.get(child).members.length;
  }
  return count;
}

/**
 * What a graph of `total` nodes opens with: null (shown whole) when it has at most `limit`
 * nodes, no module, or would still show more than FOLD_DRAW_MAX folded; else a set of open
 * module paths: breadth first, each module opened while the ids shown stay within `limit`
 * (the modules of a run stay in it, the run folded).
 */
export function firstOpened(tree, total, limit = FOLD_LIMIT) {
  if (total <= limit || !tree.modules.size) return null;
  const outside = total - tree.top.reduce((sum, path) => sum + tree.modules.get(path).members.length, 0);
  let shown = outside + openCost(tree, null);
  if (shown > FOLD_DRAW_MAX) return null;
  const opened = new Set();
  const queue = tree.top.filter((path) => !tree.runOf.has(path));
  while (queue.length) {
    const path = queue.shift();
    if (!foldable(tree, path)) continue;
    const after = shown - 1 + openCost(tree, path);
    if (after > limit) continue;
    opened.add(path);
    shown = after;
    queue.push(...tree.modules.get(path).children.filter((child) => !tree.runOf.has(child)));
  }
  return opened;
}

const numel = (shape) => shape.reduce((product, n) => product * n, 1);

/**
 * Parameter count and gradient norm of the modules `paths`: from the answer's table row of each
 * ({parameters, grad_norm}), else from the graph's parameter nodes (a norm only when every
 * gradient's numbers came with the answer).
 */
function paramStats(model, tree, paths, rows) {
  let count = 0;
  let squares = 0;
  let known = true;
  let anyGrad = false;
  for (const path of paths) {
    const row = rows.get(path);
    if (row) {
      count += row.parameters;
      if (row.grad_norm === null || row.grad_norm === undefined) known = false;
      else {
        anyGrad = true;
        squares += row.grad_norm ** 2;
      }
      continue;
    }
    for (const id of tree.modules.get(path).members) {
      const node = model.node(id);
      if (node.kind !== "tensor" || node.role !== "parameter") continue;
      count += numel(node.shape);
      const data = node.grad?.data;
      if (data === null || data === undefined) known = false;
      else {
        anyGrad = true;
        for (const value of [data].flat(Infinity)) squares += Number(value) ** 2;
      }
    }
  }
  return { parameters: count, gradNorm: known && anyGrad ? Math.sqrt(squares) : null };
}

/** The shapes of the tensors crossing into (`into`) or out of a group: a tensor's own shape, else the gradient's along the edge. */
function crossingShapes(model, edges, end) {
  const shapes = [];
  for (const edge of edges) {
    const node = model.node(edge[end]);
    const shape = node?.kind === "tensor" ? node.shape : edge.grads?.[0]?.value?.shape;
    if (!shape) continue;
    const text = JSON.stringify(shape);
    if (!shapes.includes(text)) shapes.push(text);
  }
  return shapes.map((text) => JSON.parse(text));
}

/**
 * The model folded for `opened` (module paths and run keys): each folded module or run is one
 * node {id, kind: "group", label, members, fold: {kind, path, paths, type, count, inputs,
 * outputs, parameters, gradNorm}}; `rows` is the answer's module table by path (may be empty).
 * The result is a graph model with shownAs(id): the id a node of `model` is shown as.
 */
export function foldedView(model, tree, opened, rows = new Map()) {
  const groups = new Map(); // shown id -> member ids
  for (const node of model.nodes) {
    const id = shownAs(tree, opened, node.id);
    if (id === node.id) continue;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id).push(node.id);
  }
  const made = [];
  const details = new Map();
  for (const [id, members] of groups) {
    const inside = new Set(members);
    const into = members.flatMap((m) => model.incoming(m)).filter((e) => !inside.has(e.source));
    const out = members.flatMap((m) => model.outgoing(m)).filter((e) => !inside.has(e.target));
    const what = foldOf(id);
    const run = what.kind === "run" ? tree.runs.get(what.key) : null;
    const paths = run ? run.paths : [what.path];
    const type = run ? run.type : tree.modules.get(what.path).type || rows.get(what.path)?.type || "";
    const path = run ? `${paths[0]}…${lastName(paths.at(-1))}` : what.path;
    made.push({ ids: members, id, label: path });
    details.set(id, {
      kind: what.kind,
      path,
      paths,
      type,
      count: paths.length,
      inputs: crossingShapes(model, into, "source"),
      outputs: crossingShapes(model, out, "target"),
      ...paramStats(model, tree, paths, rows),
    });
  }
  const folded = foldAll(model, made);
  for (const [id, fold] of details) folded.node(id).fold = fold;
  const shown = (id) => shownAs(tree, opened, id);
  return Object.freeze({ ...folded, folded: groups.size > 0, shownAs: shown });
}
