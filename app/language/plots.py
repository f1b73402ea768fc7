"""``matplotlib.pyplot`` as a program sees it here: every plotting call does nothing.

Courses end a training loop with ``plt.plot(losses); plt.show()``. Refusing the program for
that would hide the graph the student came to see, so the plotting calls run and do nothing,
and the answer carries a note (in English and Chinese) that plots are not drawn here. No
real matplotlib is imported: nothing here can read or write a file (``savefig`` too does
nothing).

``subplots`` returns a figure and an axes object (or a grid of them, indexable like NumPy's
``axes[0, 1]`` and iterable), whose methods do nothing either.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

from app.language.records import names
from app.language.stand_ins import active

# Functions of pyplot, and methods of figures and axes, that a program may call.
PYPLOT_FUNCTIONS = names("""
    plot scatter bar barh hist hist2d imshow matshow contour contourf pcolormesh fill_between
    errorbar step stem pie boxplot quiver annotate text arrow axhline axvline axhspan axvspan
    xlabel ylabel title suptitle legend grid xlim ylim xscale yscale semilogy semilogx loglog
    xticks yticks axis colorbar clim tight_layout show savefig close clf cla pause ion ioff
    draw figure subplot subplots gca gcf subplots_adjust margins style
""")
AXES_METHODS = names("""
    plot scatter bar barh hist imshow matshow contour contourf pcolormesh fill_between errorbar
    step stem pie boxplot quiver annotate text arrow axhline axvline axhspan axvspan set_xlabel
    set_ylabel set_title legend grid set_xlim set_ylim set_xscale set_yscale semilogy semilogx
    loglog set_xticks set_yticks set_xticklabels set_yticklabels axis set_aspect invert_yaxis
    tick_params twinx twiny set label_outer clear cla get_xaxis get_yaxis set_visible
    set_axis_off set_axis_on get_lines set_prop_cycle fill plot_surface
""")
FIGURE_METHODS = names("""
    add_subplot subplots savefig suptitle tight_layout set_size_inches colorbar show clf
    subplots_adjust set_figwidth set_figheight
""")
GRID_METHODS = names("flatten ravel shape")


class Axes:
    """An axes whose every plotting method does nothing (and returns itself)."""

    def __init__(self, note: Callable[[], None]) -> None:
        self._note = note

    def __getattr__(self, name: str) -> Any:
        if name == "get_lines":
            return list
        if name in AXES_METHODS:
            return self._noop
        raise AttributeError(name)

    def _noop(self, *args: Any, **kwargs: Any) -> Axes:
        self._note()
        return self


class AxesGrid:
    """``plt.subplots(rows, cols)``'s axes: ``grid[i]``, ``grid[i, j]``, ``grid.flatten()``."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows
        self.shape = (len(rows),) if not isinstance(rows[0], list) else (len(rows), len(rows[0]))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, tuple):
            row, col = index
            return self._rows[row][col]
        return self._rows[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def flatten(self) -> list[Axes]:
        """Every axes, row by row."""
        return [ax for row in self._rows for ax in (row if isinstance(row, list) else [row])]

    ravel = flatten


class Figure:
    """A figure whose every method does nothing; ``add_subplot`` and ``subplots`` give axes."""

    def __init__(self, note: Callable[[], None]) -> None:
        self._note = note

    def __getattr__(self, name: str) -> Any:
        if name == "add_subplot":
            return lambda *args, **kwargs: Axes(self._note)
        if name == "subplots":
            return lambda *args, **kwargs: _axes(self._note, *args, **kwargs)
        if name in FIGURE_METHODS:
            return self._noop
        raise AttributeError(name)

    def _noop(self, *args: Any, **kwargs: Any) -> None:
        self._note()


def _axes(note: Callable[[], None], nrows: int = 1, ncols: int = 1, **kwargs: Any) -> Any:
    nrows, ncols = int(nrows), int(ncols)
    if nrows * ncols > 100:
        raise ValueError("subplots: at most 100 axes")
    if nrows == ncols == 1 and kwargs.get("squeeze", True):
        return Axes(note)
    if nrows == 1 or ncols == 1:
        return AxesGrid([Axes(note) for _ in range(nrows * ncols)])
    return AxesGrid([[Axes(note) for _ in range(ncols)] for _ in range(nrows)])


def _note() -> None:
    """Tell the program's runtime that it plotted (its answer then carries the note)."""
    active().guard("note_plot")()


def _pyplot(note: Callable[[], None]) -> types.ModuleType:
    """A ``matplotlib.pyplot`` of do-nothing functions; each call runs ``note``."""
    module = types.ModuleType("matplotlib.pyplot")

    def noop(*args: Any, **kwargs: Any) -> None:
        note()

    for name in PYPLOT_FUNCTIONS:
        setattr(module, name, noop)

    def figure(*args: Any, **kwargs: Any) -> Figure:
        note()
        return Figure(note)

    def gca(*args: Any, **kwargs: Any) -> Axes:
        note()
        return Axes(note)

    def subplots(nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
        note()
        return Figure(note), _axes(note, nrows, ncols, **kwargs)

    module.figure = module.gcf = figure  # type: ignore[attr-defined]
    module.gca = module.subplot = gca  # type: ignore[attr-defined]
    module.subplots = subplots  # type: ignore[attr-defined]
    module.rcParams = RC_PARAMS  # type: ignore[attr-defined]
    return module


# Settings a program writes (``plt.rcParams['figure.figsize'] = ...``); emptied after each
# program (``reset``), so nothing one program stores reaches the next.
RC_PARAMS: dict[str, Any] = {}
PYPLOT = _pyplot(_note)
MATPLOTLIB = types.ModuleType("matplotlib")
MATPLOTLIB.pyplot = PYPLOT  # type: ignore[attr-defined]
MATPLOTLIB.rcParams = RC_PARAMS  # type: ignore[attr-defined]
