// The graph's palette for the drawings the browser makes: the legend, the computation view, and
// the SVG they export. The colours are not written here: they are the --palette-* custom
// properties at the top of app.css, read once from the page's style. That way round because a
// stylesheet cannot import a script but a script can read a stylesheet: the role chips and the
// theme variables in app.css use the same properties, and are right before any script has run.
// tests/unit/test_palette.py keeps app.css's colours equal to the server's (app/draw/palette.py).
// Stroke patterns are not colours and stay here, mirroring the server's Graphviz attributes
// (style=dashed, penwidth, arrowhead=empty, style=dotted).

const ROLES = ["leaf", "parameter", "named", "root", "constant", "detached", "no_grad"];
const ROLE_STROKES = {
  root: { width: 2 },
  constant: { dash: "5,2" },
  detached: { dash: "5,2" },
  no_grad: { dash: "5,2" },
};

// app.css is a script-blocking stylesheet in <head>: it applies before any module runs.
const style = getComputedStyle(document.documentElement);
const colour = (name) => style.getPropertyValue(`--palette-${name}`).trim();

/** Tensor nodes by role: {fill, stroke, width?, dash?}. */
export const ROLE_STYLE = Object.fromEntries(
  ROLES.map((role) => [role, { fill: colour(`${role}-fill`), stroke: colour(`${role}-stroke`), ...ROLE_STROKES[role] }]),
);
export const FUNCTION_STYLE = { fill: colour("function-fill"), stroke: colour("function-stroke") };
/** Edges by kind: {stroke, dash?, hollow? (an open arrowhead)}. */
export const EDGE_STYLE = {
  data: { stroke: colour("edge-data") },
  saved: { stroke: colour("edge-saved"), dash: "5,2", hollow: true },
  detach: { stroke: colour("edge-detach"), dash: "1,3" },
};
