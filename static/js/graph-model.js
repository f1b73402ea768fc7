// The graph of one /api/graph answer as the browser uses it: nodes and edges by id, each node's
// edges in and out, lineage (everything upstream and downstream of a node), the gradient an edge
// carried in a backward pass, and the backward steps that ran each node. session.js builds it
// once per answer; the graph view, the inspector and the stepper all read it, so none of them
// keeps lookups of its own. No DOM here.
//
// Edges point the way the forward pass ran (source is an input of target); gradients flow back,
// from target to source. Transforms (fold) return a new model and leave their argument as it was.

import { nodeLabel } from "./labels.js";

function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Everything reachable from `id` through `next` (id -> ids), `id` included. */
function reach(id, next) {
  const found = new Set([id]);
  const stack = [id];
  while (stack.length) {
    for (const other of next(stack.pop())) {
      if (!found.has(other)) {
        found.add(other);
        stack.push(other);
      }
    }
  }
  return found;
}

/**
 * The model of parts: nodes, edges and backward passes as the API writes them; `svg` is the
 * server's drawing of exactly these nodes (null once a transform has changed them); `source` is
 * the answer the model was first built from.
 */
function build({ nodes, edges, backward, svg, source }) {
  const nodesById = new Map(nodes.map((node) => [node.id, node]));
  const edgesById = new Map(edges.map((edge) => [edge.id, edge]));
  const incoming = new Map(); // node id -> edges into it, in the answer's order
  const outgoing = new Map(); // node id -> edges out of it
  const touching = new Map(); // node id -> edges in or out, in the answer's order
  for (const edge of edges) {
    push(incoming, edge.target, edge);
    push(outgoing, edge.source, edge);
    push(touching, edge.source, edge);
    if (edge.target !== edge.source) push(touching, edge.target, edge);
  }
  const steps = new Map(); // node id -> [{pass, passPos, stepIndex, step}]
  backward.forEach((pass, passPos) => {
    pass.steps.forEach((step, stepIndex) => push(steps, step.node, { pass, passPos, stepIndex, step }));
  });
  const byName = new Map(); // "op|line" or "label|line" -> how many nodes are called so
  const nameKey = (n) => `${n.kind === "function" ? n.op : n.label}|${n.kind === "function" ? n.line : ""}`;
  for (const n of nodes) byName.set(nameKey(n), (byName.get(nameKey(n)) ?? 0) + 1);
  const sources = (id) => (incoming.get(id) ?? []).map((edge) => edge.source);
  const targets = (id) => (outgoing.get(id) ?? []).map((edge) => edge.target);
  const node = (id) => nodesById.get(id) ?? null;

  return Object.freeze({
    nodes,
    edges,
    backward,
    svg,
    source,
    node,
    edge: (id) => edgesById.get(id) ?? null,
    hasNode: (id) => nodesById.has(id),
    /** The edges that end at node `id` (its inputs). */
    incoming: (id) => incoming.get(id) ?? [],
    /** The edges that start at node `id` (to what consumed it). */
    outgoing: (id) => outgoing.get(id) ?? [],
    /** The edges in or out of node `id`, in the answer's order. */
    edgesAt: (id) => touching.get(id) ?? [],
    /** Node `id` and everything upstream of it. */
    ancestors: (id) => reach(id, sources),
    /** Node `id` and everything downstream of it. */
    descendants: (id) => reach(id, targets),
    /** A node, everything upstream and downstream of it, and the edges between them: node and edge ids. */
    lineage(id) {
      const up = reach(id, sources);
      const down = reach(id, targets);
      const between = edges
        .filter((e) => (up.has(e.source) && up.has(e.target)) || (down.has(e.source) && down.has(e.target)))
        .map((e) => e.id);
      return new Set([...up, ...down, ...between]);
    },
    /** What a node is called in sentences: its op for a function, its label for a tensor. */
    name(id) {
      const found = node(id);
      return found ? (found.kind === "function" ? found.op : nodeLabel(found)) : id;
    },
    /** Whether another node has the same name (a function node: the same op on the same line). */
    twins: (id) => (nodesById.has(id) ? byName.get(nameKey(nodesById.get(id))) > 1 : false),
    /** The gradient edge `id` carried in the backward pass numbered `passIndex`, or undefined. */
    gradOn: (id, passIndex) => edgesById.get(id)?.grads.find((g) => g.backward_pass === passIndex)?.value,
    /** The backward steps that ran node `id`: [{pass, passPos, stepIndex, step}], pass by pass. */
    stepsOf: (id) => steps.get(id) ?? [],
    /** The nodes made by source line `line`, in the answer's order. */
    nodesOnLine: (line) => nodes.filter((n) => n.line === line),
  });
}

/** The model of an /api/graph answer (null: the empty model). */
export function createGraphModel(graph) {
  return build({
    nodes: graph?.nodes ?? [],
    edges: graph?.edges ?? [],
    backward: graph?.backward ?? [],
    svg: graph?.svg ?? null,
    source: graph ?? null,
  });
}

/**
 * A new model with the nodes `ids` folded into one node {id, kind: "group", label, members}, in
 * the place of the first of them. Edges between members go; an edge that crosses the group's
 * border ends at the group instead, keeping its id, kind and gradients; backward steps and roots
 * inside the group become the group's. Ids that are not nodes of the model are ignored; with
 * none left, the model itself is the answer.
 */
export function fold(model, ids, { id, label = "" } = {}) {
  return foldAll(model, [{ ids, id, label }]);
}

/**
 * fold() for several groups at once ([{ids, id, label}], each node in one group at most), in
 * one pass over the model: module-fold.js folds a large model into dozens of modules.
 */
export function foldAll(model, groups) {
  const groupOf = new Map(); // member id -> its group node
  const made = [];
  for (const { ids, id, label = "" } of groups) {
    const group = { id, kind: "group", label, members: [] };
    let first = null;
    for (const member of ids) {
      if (!model.hasNode(member) || groupOf.has(member)) continue;
      first ??= member;
      groupOf.set(member, group);
    }
    if (first === null) continue;
    group.id ??= `group:${first}`;
    made.push(group);
  }
  // Each group's members in the model's order, in one pass (not one pass per group).
  for (const node of model.nodes) groupOf.get(node.id)?.members.push(node.id);
  if (!made.length) return model;
  const end = (nodeId) => groupOf.get(nodeId)?.id ?? nodeId;

  const nodes = [];
  for (const node of model.nodes) {
    const group = groupOf.get(node.id);
    if (!group) nodes.push(node);
    else if (node.id === group.members[0]) nodes.push(group);
  }
  const edges = [];
  for (const edge of model.edges) {
    const source = end(edge.source);
    const target = end(edge.target);
    if (source === target && source !== edge.source) continue;
    edges.push(source === edge.source && target === edge.target ? edge : { ...edge, source, target });
  }
  const kept = new Set(edges.map((edge) => edge.id));
  const backward = model.backward.map((pass) => ({
    ...pass,
    roots: [...new Set(pass.roots.map(end))],
    steps: pass.steps.map((step) => ({ ...step, node: end(step.node), edges: step.edges.filter((e) => kept.has(e)) })),
    error: pass.error && { ...pass.error, node: pass.error.node && end(pass.error.node) },
  }));
  return build({ nodes, edges, backward, svg: null, source: model.source });
}
