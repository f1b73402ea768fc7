"""numpy: a curated subset — creation, arithmetic, reductions, random numbers, printing, and the
bridge to torch.

Every function listed in ``SIZES`` is called through ``numpy_arrays.numpy_call``: sized before
it runs by its rule, its arrays returned as the sized ``array`` class. The rules (``RULES`` in
``numpy_arrays.py``; ``rule:N`` reads the argument at position N):

- ``same``: no larger than its largest argument (reductions, reshaping, sorting), an array
  without elements as large as its other dimensions;
- ``elementwise``: the broadcast of its arguments (``add``, ``clip``, ``maximum``);
- ``nonzero`` and ``where`` (``where(cond)`` alone is ``nonzero``): as ``same``, and the matrix
  of indices they fill first is counted with what the program holds;
- ``shape``: a factory whose first argument is the shape (``zeros``, ``ones``, ``empty``, ``full``);
- ``like:N``: the shape keyword (at position N) or the first argument's (``zeros_like``);
- ``dims``: the shape given as separate numbers (``np.random.rand(2, 3)``);
- ``size:N``: a random draw with a ``size`` (keyword or at position N), ``multinomial``;
- ``range`` (``arange``), ``count:N`` (``linspace``'s ``num``), ``eye``, ``data`` (``array``);
- ``concat``, ``append``, ``product`` (``outer``, ``kron``), ``dot``, ``inner``, ``tile``,
  ``repeat``, ``meshgrid``, ``diag``, ``histogram``, ``bincount``, ``quantile``, ``polyfit``,
  ``argwhere``, ``svd``, ``choice``, ``permutation``.

Nothing that touches files, pickles, memory maps or native code is listed (``load``, ``save``,
``fromfile``, ``tofile``, ``memmap``, ``ctypeslib``, ``lib``, ``f2py``...): those stay out
with a hint. NumPy's global random generator is started over before every program, like
torch's; ``np.random.seed`` before the first draw keeps a program reproducible, and
``np.random.default_rng()`` without a seed makes it one that is never answered from the cache.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from app.hints import sandbox
from app.language import print_options
from app.language.numpy_arrays import SIZES_BY_FUNCTION, array, numpy_call
from app.language.records import (
    Library,
    ModuleRule,
    RandomSource,
    ReaderFactory,
    TypeRule,
    given,
    made,
    names,
)
from app.language.stand_ins import NDARRAY, StandIn

if TYPE_CHECKING:
    from app.language.runtime import Runtime


def _rules(rule: str, text: str) -> dict[str, str]:
    return dict.fromkeys(text.split(), rule)


# numpy's own functions: name -> size rule.
SIZES: dict[str, str] = {
    **_rules("shape", "zeros ones empty full"),
    **_rules("like:4", "zeros_like ones_like empty_like"),
    **_rules("like:5", "full_like"),
    **_rules(
        "elementwise",
        """abs absolute add subtract multiply divide true_divide floor_divide power mod remainder
        negative sqrt square exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin arccos arctan
        arctan2 sinh cosh tanh arcsinh arccosh arctanh floor ceil round around rint trunc fix
        sign maximum minimum fmax fmin clip heaviside reciprocal degrees radians
        equal not_equal less less_equal greater greater_equal isclose
        isnan isinf isfinite logical_and logical_or logical_not logical_xor real imag conj""",
    ),
    **_rules(
        "same",
        """copy sum mean std var prod max min amax amin argmax argmin median
        cumsum cumprod all any average nansum nanmean nanmax nanmin count_nonzero
        allclose array_equal reshape ravel transpose swapaxes moveaxis squeeze expand_dims flip
        fliplr flipud roll rot90 sort argsort unique flatnonzero diff gradient tril triu
        trace diagonal shape ndim size astype digitize interp polyval isscalar iscomplexobj""",
    ),
    **_rules("quantile", "percentile quantile"),
    **_rules("range", "arange"),
    **_rules("count:2", "linspace logspace geomspace"),
    **_rules("eye", "eye identity"),
    **_rules("data", "array asarray"),
    **_rules("concat", "concatenate stack vstack hstack column_stack row_stack dstack"),
    **_rules("append", "append"),
    **_rules("product", "outer kron"),
    **_rules("dot", "dot matmul vdot"),
    **_rules("inner", "inner"),
    **_rules("tile", "tile"),
    **_rules("repeat", "repeat"),
    **_rules("meshgrid", "meshgrid"),
    **_rules("diag", "diag"),
    **_rules("histogram", "histogram"),
    **_rules("bincount", "bincount"),
    **_rules("polyfit", "polyfit"),
    **_rules("argwhere", "argwhere"),
    **_rules("nonzero", "nonzero"),
    **_rules("where", "where"),
}
# Of numpy.random (the module's functions) and of its Generator objects: where ``size`` is.
RANDOM_SIZES: dict[str, str] = {
    **_rules("dims", "rand randn"),
    **_rules("size:0", "random random_sample ranf sample standard_normal"),
    **_rules("size:1", "poisson exponential geometric"),
    **_rules(
        "size:2",
        """normal uniform randint integers binomial beta gamma laplace logistic lognormal""",
    ),
    **_rules("multinomial", "multinomial"),
    **_rules("choice", "choice"),
    **_rules("permutation", "permutation"),
    **_rules("same", "shuffle"),
}
# Of linear algebra.
LINALG_SIZES: dict[str, str] = {
    **_rules(
        "same", "norm inv det solve pinv matrix_rank lstsq qr cholesky eigh eigvalsh eig eigvals"
    ),
    **_rules("svd", "svd"),
}
# Methods of arrays: name -> size rule (``dot`` and ``repeat`` can grow; none of the others).
ARRAY_METHODS: dict[str, str] = {
    **_rules(
        "same",
        """reshape flatten ravel transpose swapaxes squeeze astype copy clip round
        sum mean std var prod max min argmax argmin cumsum cumprod all any sort argsort
        tolist item fill trace diagonal""",
    ),
    **_rules("nonzero", "nonzero"),
    **_rules("dot", "dot"),
    **_rules("repeat", "repeat"),
}
DTYPES = names("""
    float16 float32 float64 int8 int16 int32 int64 uint8 bool_ double single longlong
    floating integer number generic dtype
""")
CONSTANTS = names("pi e inf nan newaxis")
# The concrete scalar types: called on a list or an array they make an array, sized here and
# given as the sized class (``np.float32([[0.0] * 1000] * 3000)``); as a ``dtype=`` they are
# read by their ``dtype`` attribute.
SCALAR_TYPES = names("""
    float16 float32 float64 int8 int16 int32 int64 uint8 bool_ double single longlong
""")


def _scalar_stand_in(real: type) -> type:
    """``real`` (``np.float32``...) as a program sees it: it prints and isinstance-checks as
    ``real``, NumPy and torch read it as its dtype, and calling it is sized by its data."""
    return StandIn(
        real.__name__,
        (),
        {
            "real": real,
            "guard": staticmethod(numpy_call(real, "data")),
            "dtype": np.dtype(real),
            "__module__": "numpy",
            "__qualname__": real.__qualname__,
            "__doc__": real.__doc__,
        },
    )


@functools.cache
def _dtype_type(real: type) -> type:
    """The stand-in of the scalar type ``real``: one per type (``np.double is np.float64``,
    and ``a.dtype.type == np.float32`` as in NumPy)."""
    return _scalar_stand_in(real)


_SCALAR_STAND_INS = {name: _dtype_type(getattr(np, name)) for name in SCALAR_TYPES}


_FILES = "load save savez savez_compressed savetxt loadtxt genfromtxt fromfile memmap"


def _load(path: str) -> ModuleType | None:
    return {"numpy": np, "numpy.random": np.random, "numpy.linalg": np.linalg}.get(path)


def _comparable(state: Any) -> tuple[Any, ...]:
    """NumPy's generator state as a value ``==`` compares (its key is an array)."""
    kind, key, position, has_gauss, cached = state
    return (kind, key.tobytes(), position, has_gauss, cached)


def set_printoptions(
    precision: Any = None,
    threshold: Any = None,
    edgeitems: Any = None,
    linewidth: Any = None,
    suppress: Any = None,
    nanstr: Any = None,
    infstr: Any = None,
    formatter: Any = None,
    sign: Any = None,
    floatmode: Any = None,
    *,
    legacy: Any = None,
    override_repr: Any = None,
) -> None:
    """``np.set_printoptions`` within the bounds of ``print_options``; ``formatter`` and
    ``override_repr`` (functions NumPy would call for every print) stay out."""
    options = {
        "precision": precision,
        "threshold": threshold,
        "edgeitems": edgeitems,
        "linewidth": linewidth,
        "suppress": suppress,
        "nanstr": nanstr,
        "infstr": infstr,
        "formatter": formatter,
        "sign": sign,
        "floatmode": floatmode,
        "legacy": legacy,
        "override_repr": override_repr,
    }
    print_options.check("np.set_printoptions", options, _PRINT_CHOICES, _PRINT_BOUNDS)
    np.set_printoptions(**{name: value for name, value in options.items() if value is not None})


# NumPy summarises with edgeitems=0 by taking whole axes (a[-0:]): time doubles per dimension.
_PRINT_BOUNDS = {**print_options.BOUNDS, "edgeitems": (1, 1_000)}
_PRINT_CHOICES: dict[str, tuple[Any, ...]] = {
    "suppress": (True, False),
    "sign": ("-", "+", " "),
    "floatmode": ("fixed", "unique", "maxprec", "maxprec_equal"),
    "legacy": (False, "1.13", "1.21", "1.25", "2.1", "2.2"),
}


def _reset() -> None:
    np.set_printoptions(**_PRINT_OPTIONS)
    np.seterr(**_ERRORS)


_PRINT_OPTIONS: dict[str, Any] = dict(np.get_printoptions())
_ERRORS = np.geterr()


def _sized_by(rules: dict[str, str], *, method: bool = False) -> ReaderFactory:
    """The reader of a numpy function (or of a method, sized with its array or generator as
    the first argument), sized by its rule in ``rules`` before it runs."""

    def reader(obj: Any, name: str) -> Any:
        return numpy_call(getattr(obj, name), rules[name], bound=obj if method else None)

    return lambda runtime: reader


def _default_rng(runtime: Runtime, seed: Any = None, *args: Any, **kwargs: Any) -> Any:
    """``np.random.default_rng``: without a seed, a program that is never answered from the
    cache."""
    runtime.randomness.made_generator(seeded=seed is not None)
    return np.random.default_rng(seed, *args, **kwargs)


for _name, _rule in SIZES.items():  # numpy calls these itself, on the program's arrays too
    SIZES_BY_FUNCTION[getattr(np, _name)] = _rule

NUMPY = Library(
    name="numpy",
    modules=(
        ModuleRule(
            "numpy",
            frozenset(SIZES) | DTYPES | CONSTANTS | names("random linalg ndarray set_printoptions"),
            wrapped={
                **dict.fromkeys(SIZES, "numpy_function"),
                "ndarray": "numpy_array_type",
                "set_printoptions": "numpy_set_printoptions",
                **dict.fromkeys(SCALAR_TYPES, "numpy_scalar_type"),
            },
        ),
        ModuleRule(
            "numpy.random",
            frozenset(RANDOM_SIZES) | names("seed default_rng"),
            wrapped={
                **dict.fromkeys(RANDOM_SIZES, "numpy_random_function"),
                "seed": "seed_numpy",
                "default_rng": "numpy_default_rng",
            },
        ),
        ModuleRule(
            "numpy.linalg",
            frozenset(LINALG_SIZES),
            wrapped=dict.fromkeys(LINALG_SIZES, "numpy_linalg_function"),
        ),
    ),
    types=(
        TypeRule(
            (array, np.ndarray),
            frozenset(ARRAY_METHODS) | names("shape dtype ndim size T"),
            wrapped=dict.fromkeys(ARRAY_METHODS, "numpy_method"),
        ),
        TypeRule(
            (np.random.Generator,),
            frozenset(RANDOM_SIZES),
            wrapped=dict.fromkeys(RANDOM_SIZES, "numpy_random_method"),
        ),
        TypeRule((np.generic,), names("item dtype shape ndim size real imag is_integer")),
        TypeRule(
            (np.dtype,), names("name itemsize kind type char"), wrapped={"type": "numpy_dtype_type"}
        ),
        TypeRule((np.finfo, np.iinfo), names("eps max min tiny bits resolution dtype")),
    ),
    load=_load,
    random=RandomSource(
        name="numpy",
        state=lambda: _comparable(np.random.get_state()),
        reseed=np.random.seed,
        seed=np.random.seed,
    ),
    refused={
        **{f"numpy.{name}": sandbox.FILES for name in _FILES.split()},
        "numpy.ctypeslib": sandbox.UNUSED_IMPORT,
        "numpy.lib": sandbox.UNUSED_IMPORT,
        "numpy.f2py": sandbox.UNUSED_IMPORT,
        "numpy.distutils": sandbox.UNUSED_IMPORT,
        "numpy.testing": sandbox.UNUSED_IMPORT,
    },
    reset=_reset,
    readers={
        "numpy_function": _sized_by(SIZES),
        "numpy_random_function": _sized_by(RANDOM_SIZES),
        "numpy_linalg_function": _sized_by(LINALG_SIZES),
        "numpy_method": _sized_by(ARRAY_METHODS, method=True),
        "numpy_random_method": _sized_by(RANDOM_SIZES, method=True),
        "numpy_array_type": given(NDARRAY),
        "numpy_scalar_type": lambda runtime: lambda module, name: _SCALAR_STAND_INS[name],
        "numpy_dtype_type": lambda runtime: lambda dtype, name: _dtype_type(dtype.type),
        "numpy_set_printoptions": given(set_printoptions),
        "seed_numpy": made(lambda runtime: functools.partial(runtime.randomness.seed, "numpy")),
        "numpy_default_rng": made(lambda runtime: functools.partial(_default_rng, runtime)),
    },
)
