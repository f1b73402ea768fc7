"""matplotlib.pyplot: plotting calls run and do nothing; the answer notes that plots are not drawn.

Why not refuse: a course program ends its training loop with a loss curve; refused, the
student sees no graph at all, while the plot is the one thing this tool cannot show. The
stand-in (``app/language/plots.py``) imports no real matplotlib and touches no file.
"""

from __future__ import annotations

from app.language.plots import (
    AXES_METHODS,
    FIGURE_METHODS,
    GRID_METHODS,
    MATPLOTLIB,
    PYPLOT,
    PYPLOT_FUNCTIONS,
    RC_PARAMS,
    Axes,
    AxesGrid,
    Figure,
)
from app.language.records import Library, ModuleRule, TypeRule, names

_MODULES = {"matplotlib": MATPLOTLIB, "matplotlib.pyplot": PYPLOT}

PLOTTING = Library(
    name="matplotlib",
    modules=(
        ModuleRule("matplotlib", names("pyplot rcParams")),
        ModuleRule("matplotlib.pyplot", PYPLOT_FUNCTIONS | names("rcParams")),
    ),
    types=(
        TypeRule((Axes,), AXES_METHODS),
        TypeRule((Figure,), FIGURE_METHODS),
        TypeRule((AxesGrid,), GRID_METHODS),
    ),
    load=_MODULES.get,
    reset=RC_PARAMS.clear,
)
