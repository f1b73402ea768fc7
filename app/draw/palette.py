"""The visual language of every drawing: colours and line styles per node role and edge kind.

One palette for the server and the browser: the playground's legend and stylesheet use the
same colours, and ``tests/unit/test_palette.py`` keeps them equal to these.
"""

from __future__ import annotations

# Tensor nodes by role (Graphviz attributes; every tensor node is also a filled box).
ROLE_STYLES: dict[str, dict[str, str]] = {
    "leaf": {"fillcolor": "#cfe8ff", "color": "#2b6cb0"},
    "parameter": {"fillcolor": "#d9f2d9", "color": "#2f855a"},
    "named": {"fillcolor": "#fff3c4", "color": "#b7791f"},
    "root": {"fillcolor": "#ffd8cc", "color": "#c05621", "penwidth": "2"},
    "constant": {"fillcolor": "#f2f2f2", "color": "#718096", "style": "filled,dashed"},
    "detached": {"fillcolor": "#f2f2f2", "color": "#718096", "style": "filled,dashed"},
    "no_grad": {"fillcolor": "#ede4ff", "color": "#6b46c1", "style": "filled,dashed"},
}
# Function nodes (autograd Nodes such as MulBackward0).
FUNCTION_STYLE: dict[str, str] = {
    "style": "rounded,filled",
    "fillcolor": "#ffffff",
    "color": "#4a5568",
}
# Edges: the colour of gradient-carrying data edges, and the style of each kind.
EDGE_COLOR = "#4a5568"
EDGE_STYLES: dict[str, dict[str, str]] = {
    "data": {},
    "saved": {"style": "dashed", "color": "#718096", "arrowhead": "empty"},
    "detach": {"style": "dotted", "color": "#718096", "label": "detach"},
}
