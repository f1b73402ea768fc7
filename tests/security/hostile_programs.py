"""The hostile-program table: what an attacker sends, and how the service must answer each.

Every program names ``CANARY`` where it would write a file (or run a command that writes one);
the test puts a fresh path there and checks that no file appears. ``expect`` lists the answers
that are acceptable: ``refused:<type>`` is a 400 refusal before running (or 413 for
``CodeTooLong``), ``error:<type>`` a 200 whose ``error.type`` is that type. Resource bombs that
only the operating-system wall stops may end in any of ``OS_STOPS``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    """One hostile program: its id, category, source, and the acceptable answers."""

    id: str
    category: str
    code: str
    expect: tuple[str, ...]
    # A known hole: the reason the test is expected to fail until it is fixed (strict xfail).
    xfail: str = ""


def _fullwidth(text: str) -> str:
    """The letters of ``text`` written as fullwidth letters (NFKC folds them back to ASCII)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in text)


def _math_bold(text: str) -> str:
    """Letters of ``text`` as MATHEMATICAL BOLD SMALL letters (NFKC folds them back)."""
    return "".join(
        unicodedata.lookup(f"MATHEMATICAL BOLD SMALL {c.upper()}") if c.isalpha() else c
        for c in text
    )


# Sanity: these really are the dunder names after NFKC normalisation, as the parser sees them.
assert unicodedata.normalize("NFKC", _fullwidth("__class__")) == "__class__"
assert unicodedata.normalize("NFKC", "__class\uff3f\uff3f") == "__class__"  # FULLWIDTH LOW LINE
assert unicodedata.normalize("NFKC", "__" + _math_bold("globals") + "__") == "__globals__"
assert unicodedata.normalize("NFKC", "__cl\u1d43ss__") == "__class__"  # MODIFIER LETTER SMALL A

REFUSED = ("refused:RefusedConstruct",)
VIOLATION = ("error:SandboxViolation",)
IMPORT = ("refused:RefusedImport",)
TENSOR_LIMIT = ("error:LimitExceeded",)
LIMIT = ("error:LimitExceeded",)
TOO_COMPLEX = ("refused:ProgramTooComplex", "refused:SyntaxError")
# Over the code limit: the route answers 413 CodeTooLong, or the body limit RequestTooLarge.
TOO_LONG = ("refused:CodeTooLong", "refused:RequestTooLarge")
# What the OS wall (address-space cap, wall clock) turns a bomb into.
OS_STOPS = (
    "error:LimitExceeded",
    "error:MemoryError",
    "error:RuntimeError",
    "error:TimeLimitExceeded",
    "error:WorkerCrashed",
)

_LEAF = "x = torch.ones(3, requires_grad=True)\n"
_WRITE = "f = open(CANARY, 'w')\nf.write('pwned')\n"

ESCAPE = [
    Hostile("subclasses", "escape", "print(().__class__.__bases__[0].__subclasses__())", REFUSED),
    # x.__class__ is a stand-in: it prints as torch.Tensor, but builds through the limits.
    Hostile("tensor-class", "escape", _LEAF + "t = x.__class__\ny = t(100000, 100000)", LIMIT),
    Hostile("tensor-class-bases", "escape", _LEAF + "t = x.__class__.__bases__", REFUSED),
    Hostile("globals-of-method", "escape", _LEAF + "g = x.backward.__globals__", REFUSED),
    # ``x.backward`` is the runtime's routed backward bound to x as a method: what it wraps
    # and holds stay out of reach.
    Hostile("backward-wrapper-func", "escape", _LEAF + "f = x.backward.__func__", REFUSED),
    Hostile(
        "backward-wrapper-getattr",
        "escape",
        _LEAF + "f = getattr(x.backward, '__func__')",
        VIOLATION,
    ),
    # A tensor's fields are written past the torch mode: the setters run no program code.
    Hostile(
        "field-setter-runs-no-program-code",
        "escape",
        _LEAF
        + "class B:\n    def __bool__(self):\n        y = torch.ones(10**5, 10**5)\n"
        + "        return True\n\nx.requires_grad = B()\n",
        ("error:RuntimeError",),
    ),
    Hostile("builtins-dunder", "escape", "b = __builtins__", REFUSED),
    Hostile(
        "import-dunder", "escape", "os = __import__('os')\nos.system('touch ' + CANARY)", REFUSED
    ),
    Hostile("helper-name", "escape", "g = _ag_getattr(torch, 'os')", REFUSED),
    # One underscore passes the checks (a program's own objects may have such names); the
    # runtime refuses it on everything a library made.
    Hostile("private-attribute", "escape", "c = torch._C", VIOLATION),
    # ``x._version`` is the one a record lists (read only); any other stays refused.
    Hostile("private-tensor-attribute", "escape", _LEAF + "v = x._backward_hooks", VIOLATION),
    Hostile("private-set", "escape", _LEAF + "x._backward_hooks = {}", VIOLATION),
    Hostile(
        "private-on-own-module",
        "escape",
        "class M(nn.Module):\n    def f(self):\n        self._parameters['w'] = 1\nM().f()",
        ("error:TypeError",),
    ),
    Hostile("init-outside-super", "escape", _LEAF + "f = x.__init__", REFUSED),
    Hostile("dunder-keyword", "escape", "t = torch.ones(1, __class__=1)", REFUSED),
    Hostile("dunder-argument", "escape", "def f(__x):\n    return __x\n", REFUSED),
    Hostile(
        "str-format-attr",
        "escape",
        "s = '{0.__class__.__init__.__globals__}'.format(torch)",
        VIOLATION,
    ),
    Hostile("str-format-map", "escape", "s = '{x.__class__}'.format_map({'x': 1})", VIOLATION),
    Hostile("fstring-dunder", "escape", "s = f'{torch.__dict__}'", REFUSED),
    Hostile("fstring-nested-spec", "escape", "w = 10\ns = f'{1:{w}}'", REFUSED),
    Hostile("percent-format", "escape", "s = '%(a)s' % {'a': torch.os}", VIOLATION),
    Hostile(
        "generator-frame",
        "escape",
        "g = (i for i in range(3))\nf = g.gi_frame.f_globals",
        VIOLATION,
    ),
    Hostile("generator-code", "escape", "g = (i for i in range(3))\nc = g.gi_code", VIOLATION),
    Hostile(
        "traceback-frame",
        "escape",
        "try:\n    1 / 0\nexcept Exception as e:\n    f = e.__traceback__.tb_frame\n",
        REFUSED,
    ),
    Hostile(
        "module-generator-frame",
        "escape",
        "m = nn.Linear(1, 1)\nf = m.parameters().gi_frame",
        VIOLATION,
    ),
    # getattr goes through the allowlist like obj.name does.
    Hostile("getattr-builtin", "escape", "o = getattr(torch, 'o' + 's')", VIOLATION),
    Hostile("getattr-dunder", "escape", "o = getattr(torch, '__dict__')", VIOLATION),
    Hostile("getattr-private", "escape", "h = getattr(torch, '_C')", VIOLATION),
    Hostile("setattr-builtin", "escape", "setattr(torch, 'nn', 1)", VIOLATION),
    # type() hands out classes that cannot build anything unchecked.
    Hostile("type-of-type", "escape", "t = type(type(1))('E', (object,), {})", VIOLATION),
    Hostile("type-of-function", "escape", "f = type(print)\ng = f()", VIOLATION),
    Hostile("type-of-module", "escape", "m = type(torch)('os')", VIOLATION),
    Hostile("type-three-args", "escape", "t = type('E', (object,), {})", VIOLATION),
    Hostile("globals-builtin", "escape", "g = globals()", VIOLATION),
    Hostile("vars-builtin", "escape", "v = vars(torch)", VIOLATION),
    Hostile("dir-builtin", "escape", "d = dir(torch)", VIOLATION),
    Hostile("eval-builtin", "escape", "eval('1 + 1')", VIOLATION),
    Hostile("exec-builtin", "escape", "exec('import os')", VIOLATION),
    Hostile("compile-builtin", "escape", "c = compile('1', 'x', 'eval')", VIOLATION),
    Hostile("breakpoint-builtin", "escape", "breakpoint()", VIOLATION),
    Hostile("help-builtin", "escape", "help(torch)", VIOLATION),
    Hostile("input-builtin", "escape", "s = input()", VIOLATION),
    Hostile("object-subclasses", "escape", "o = object.__subclasses__()", REFUSED),
    Hostile(
        "unicode-fullwidth-dunder", "escape", _LEAF + f"t = x.{_fullwidth('__dict__')}", REFUSED
    ),
    Hostile("unicode-fullwidth-name", "escape", f"b = {_fullwidth('__builtins__')}", REFUSED),
    Hostile("unicode-fullwidth-low-line", "escape", _LEAF + "t = x.__dict\uff3f\uff3f", REFUSED),
    Hostile(
        "unicode-math-bold",
        "escape",
        _LEAF + f"g = x.backward.__{_math_bold('globals')}__",
        REFUSED,
    ),
    Hostile("unicode-modifier-letter", "escape", "s = ().__b\u1d43ses__", REFUSED),
    Hostile("torch-os", "escape", "torch.os.system('touch ' + CANARY)", VIOLATION),
    # torch.set_default_tensor_type through its wrapper: an object with its own __hash__ and
    # __eq__, an unhashable one, a non-float type or any other name reach nothing but the
    # dtype check (TypeError, as in PyTorch); a CUDA type stays out.
    Hostile(
        "default-tensor-type-odd-arguments",
        "escape",
        "class H:\n    def __hash__(self):\n        return 1\n"
        "    def __eq__(self, o):\n        return True\n"
        "for k in (H(), [1], 'torch.LongTensor', 'os'):\n"
        "    try:\n        torch.set_default_tensor_type(k)\n"
        "    except TypeError as e:\n        print(type(e).__name__)\n"
        "torch.set_default_tensor_type('torch.cuda.DoubleTensor')\n"
        "print(torch.get_default_dtype())\n",
        VIOLATION,
    ),
    # A cell whose "magic" line hides a statement joined by a semicolon: the whole line is
    # skipped, nothing of it runs.
    Hostile(
        "notebook-line-with-a-statement-after-it",
        "escape",
        "%time ; f = open(CANARY, 'w')\nx = 1\n",
        ("ok",),
    ),
    # A notebook cell's shell lines and magics are skipped, never run (notebook_lines.py).
    Hostile(
        "notebook-shell-lines-never-run",
        "escape",
        "!touch CANARY\n%system touch CANARY\n%%bash\nx = torch.ones(1)\n",
        ("ok",),
    ),
    Hostile("torch-sys", "escape", "os = torch.sys.modules['os']", VIOLATION),
    Hostile("torch-builtins", "escape", "o = torch.builtins.open(CANARY, 'w')", VIOLATION),
    Hostile("nn-modules-module-torch", "escape", "t = nn.modules.module.torch", VIOLATION),
    Hostile("functional-torch", "escape", "t = torch.nn.functional.torch", VIOLATION),
    Hostile("optim-sgd-module", "escape", "m = torch.optim.sgd", VIOLATION),
    Hostile("autograd-function", "escape", "m = torch.autograd.function", VIOLATION),
    Hostile("tensor-reduce-ex", "escape", "r = torch.Tensor.__reduce_ex__", REFUSED),
    Hostile("tensor-class-attr", "escape", "r = torch.Tensor.storage", VIOLATION),
    Hostile("grad-fn-class", "escape", _LEAF + "c = (x * 2).grad_fn.__class__\nc()", VIOLATION),
    Hostile("grad-fn-hook", "escape", _LEAF + "(x * 2).grad_fn.register_hook(print)", VIOLATION),
    Hostile("model-dict", "escape", "m = nn.Linear(2, 2)\nd = m.__dict__", REFUSED),
    # A module's _modules takes modules only (as add_module does).
    Hostile(
        "model-modules",
        "escape",
        "m = nn.Sequential(nn.ReLU())\nm._modules['x'] = print",
        ("error:TypeError",),
    ),
    Hostile("print-self", "escape", "r = print.__self__", REFUSED),
    Hostile(
        "user-class-attribute", "escape", "class M(nn.Module):\n    pass\nm = M.mro()", VIOLATION
    ),
    Hostile(
        "user-method-globals",
        "escape",
        "class M(nn.Module):\n    def forward(self, x):\n        return x\nf = M().forward.func_globals",
        # Python 2's name: a method has no such attribute, so Python's AttributeError (its
        # globals stay behind the dunder ``__func__``, refused before running).
        ("error:AttributeError",),
    ),
    Hostile("lambda-closure", "escape", "y = 1\nf = lambda: y\nc = f.__closure__", REFUSED),
    Hostile(
        "optimizer-internals",
        "escape",
        _LEAF + "o = optim.SGD([x], lr=0.1)\ns = o._zero_grad_profile_name",
        VIOLATION,
    ),
    Hostile(
        "super-elsewhere",
        "escape",
        "class M(nn.Module):\n    def forward(self, x):\n        return super().forward(x)\n",
        REFUSED,
    ),
    Hostile(
        "override-extract-hook",
        "escape",
        "class M(nn.Module):\n    def named_parameters(self, *a, **k):\n        torch.os.system('touch ' + CANARY)\n        return []\nm = M()",
        VIOLATION,
    ),
    Hostile(
        "override-repr-hook",
        "escape",
        "class M(nn.Module):\n    def extra_repr(self):\n        return str(torch.ones(30000, 30000))\nd = {M(): torch.ones(1)}",
        VIOLATION,
    ),
    Hostile("shadow-method", "escape", "m = nn.Linear(1, 1)\nm.forward = print", VIOLATION),
    Hostile("setattr-module", "escape", "torch.add = print", VIOLATION),
    Hostile("setattr-class", "escape", "nn.Linear.forward = print", VIOLATION),
    Hostile("metaclass", "escape", "class M(nn.Module, metaclass=print):\n    pass\n", REFUSED),
    # A program's class builds on object or an allowed library class, and defines only the
    # special methods Python runs in plain view.
    Hostile("dict-class", "escape", "class M(dict):\n    pass\n", VIOLATION),
    Hostile("exception-class", "escape", "class M(Exception):\n    pass\n", VIOLATION),
    Hostile("optimizer-class", "escape", "class M(optim.SGD):\n    pass\n", VIOLATION),
    Hostile(
        "getattr-hook",
        "escape",
        "class M:\n    def __getattr__(self, n):\n        return 1\n",
        REFUSED,
    ),
    Hostile("del-hook", "escape", "class M:\n    def __del__(self):\n        pass\n", REFUSED),
    Hostile(
        "index-hook",
        "escape",
        "class M:\n    def __index__(self):\n        return 10 ** 12\nx = [0] * M()",
        REFUSED,
    ),
    Hostile(
        "module-call-hook",
        "escape",
        "class M(nn.Module):\n    def __call__(self, x):\n        return x\n",
        VIOLATION,
    ),
    Hostile(
        "module-repr-hook",
        "escape",
        "class M(nn.Module):\n    def __repr__(self):\n        return 'x' * 10\n",
        VIOLATION,
    ),
    Hostile("decorator", "escape", "@print\ndef f():\n    pass\n", VIOLATION),
    Hostile("class-decorator", "escape", "@print\nclass C:\n    pass\n", REFUSED),
    Hostile(
        "subclass-standin", "escape", "class L(nn.Module, list):\n    pass\n", ("error:TypeError",)
    ),
    Hostile("legacy-tensor-storage", "escape", "t = torch.Tensor(3)\ns = t.storage()", VIOLATION),
    Hostile("meta-device", "escape", "y = torch.ones(1, device='meta')", VIOLATION),
    Hostile("meta-module", "escape", "m = nn.Linear(2, 2, device='meta')", VIOLATION),
    Hostile(
        "to-meta-in-hook",
        "escape",
        _LEAF + "x.register_hook(lambda g: g.to('meta'))\nx.sum().backward()",
        VIOLATION,
    ),
    # complex64/complex128 are offered; complex32 (experimental in PyTorch) is not.
    Hostile("complex32-dtype", "escape", "z = torch.ones(2, dtype=torch.complex32)", VIOLATION),
    Hostile("numpy-ctypes", "escape", "a = torch.ones(3).numpy().ctypes", VIOLATION),
    Hostile("storage", "escape", "p = torch.ones(3).untyped_storage()", VIOLATION),
    Hostile("untyped-storage", "escape", "s = torch.ones(3).untyped_storage()", VIOLATION),
    Hostile("import-os", "escape", "import os\nos.system('touch ' + CANARY)", IMPORT),
    Hostile("import-builtins", "escape", "import builtins", IMPORT),
    Hostile("import-torch-utils", "escape", "import torch.utils.cpp_extension", IMPORT),
    Hostile("from-torch-private", "escape", "from torch import _C", REFUSED + IMPORT),
    Hostile("from-torch-star", "escape", "from torch import *", REFUSED),
    Hostile("relative-import", "escape", "from . import evaluate", IMPORT),
    Hostile("from-torch-os", "escape", "from torch import os", IMPORT),
    Hostile("from-nn-modules", "escape", "from torch.nn import modules", IMPORT),
    Hostile("global-statement", "escape", "def f():\n    global torch\n    torch = 1\n", REFUSED),
    # torch.backends.cudnn is the program's own flags (app/language/cudnn_flags.py): only
    # those four booleans can be set on it, nothing can be set on its class, it cannot be
    # made anew or built on, and the real module's flags are never reached.
    Hostile(
        "cudnn-flags-hold-only-their-flags",
        "escape",
        "c = torch.backends.cudnn\nc.real = torch",
        VIOLATION,
    ),
    Hostile(
        "cudnn-flags-class-patched",
        "escape",
        "import torch.backends.cudnn as c\ntype(c).version = print",
        VIOLATION,
    ),
    Hostile(
        "cudnn-flags-made-anew",
        "escape",
        "n = type(torch.backends.cudnn)()\nn.benchmark = True",
        VIOLATION,
    ),
    Hostile(
        "cudnn-flags-subclassed",
        "escape",
        "class Evil(type(torch.backends.cudnn)):\n    pass\nEvil()",
        ("error:TypeError",),
    ),
    Hostile(
        "cudnn-flag-takes-only-a-bool",
        "escape",
        "torch.backends.cudnn.benchmark = torch",
        ("error:RuntimeError",),
    ),
    Hostile(
        "cudnn-flags-globals", "escape", "g = torch.backends.cudnn.version.__globals__", REFUSED
    ),
    Hostile("torch-version-assigned", "escape", "torch.version.cuda = '12.1'", VIOLATION),
    # typing, string and warnings (allowlist/stdlib.py): hints, constants and no-op filters
    # only. get_type_hints evaluates strings; string.Formatter reads attributes by name; the
    # process's warning filters are not the program's.
    Hostile("typing-get-type-hints", "escape", "import typing\ntyping.get_type_hints", VIOLATION),
    Hostile(
        "typing-alias-origin", "escape", "from typing import List\nList[int].__origin__", REFUSED
    ),
    Hostile(
        "typing-alias-internals", "escape", "from typing import List\nList[int]._name", VIOLATION
    ),
    Hostile("typing-cast-unlisted", "escape", "import typing\ntyping.cast(int, 1)", VIOLATION),
    Hostile(
        "string-formatter",
        "escape",
        "import string\nstring.Formatter().format('{0.__class__}', 1)",
        VIOLATION,
    ),
    Hostile("string-constant-assigned", "escape", "import string\nstring.digits = 'x'", VIOLATION),
    Hostile("warnings-filters-read", "escape", "import warnings\nf = warnings.filters", VIOLATION),
    Hostile(
        "warnings-made-errors-by-keyword",
        "escape",
        "import warnings\nwarnings.filterwarnings(action='error', category=UserWarning)",
        VIOLATION,
    ),
    # Python adds a filter in time linear in those there: 20,000 of them took 5 s.
    Hostile(
        "warnings-filters-by-the-thousand",
        "resource",
        "import warnings\nfor i in range(20000):\n    warnings.filterwarnings('ignore', message=str(i))",
        LIMIT,
    ),
    Hostile(
        "warnings-category-not-a-class",
        "escape",
        "import warnings\nwarnings.filterwarnings('ignore', category=print)",
        ("error:AssertionError",),
    ),
    Hostile(
        "warnings-made-errors",
        "escape",
        "import warnings\nwarnings.simplefilter('error')\nnn.MSELoss()(torch.ones(4, 1), torch.ones(4))",
        VIOLATION,
    ),
    Hostile(
        "warnings-showwarning-replaced",
        "escape",
        "import warnings\nwarnings.showwarning = print",
        VIOLATION,
    ),
    # Anomaly detection keeps a traceback per autograd node: slower, within the time limit;
    # the switch is put back after the program (test_anomaly_mode.py).
    Hostile(
        "anomaly-mode-long-chain",
        "resource",
        "torch.autograd.set_detect_anomaly(True)\nx = torch.ones(1, requires_grad=True)\ny = x\n"
        "for i in range(90000):\n    y = y * 1.0\ny.backward()",
        ("ok", "error:TimeLimitExceeded", "error:LimitExceeded"),
    ),
    # itertools: chain and islice only, each item a counted loop step.
    Hostile(
        "itertools-chain-summed-in-c",
        "resource",
        "import itertools\nxs = [0] * 10**5\ns = sum(itertools.chain(*[xs] * 10**5))",
        LIMIT,
    ),
    Hostile(
        "itertools-chain-counted-in-c",
        "resource",
        "import collections, itertools\nxs = [0] * 10**5\n"
        "c = collections.Counter(itertools.chain(*[xs] * 10**5))",
        LIMIT,
    ),
    Hostile(
        "itertools-endless-generator-chained",
        "resource",
        "import itertools\ndef g():\n    while True:\n        yield 0\nm = max(itertools.chain(g()))",
        LIMIT,
    ),
    Hostile("itertools-product", "resource", "import itertools\nitertools.product", VIOLATION),
    Hostile("itertools-repeat", "resource", "import itertools\nitertools.repeat(0)", VIOLATION),
    Hostile(
        "itertools-chain-from-iterable",
        "resource",
        "import itertools\nsum(itertools.chain.from_iterable([[0] * 10**5] * 10**4))",
        # The program's chain.from_iterable is counted as chain is: a billion items consumed
        # in C (sum) still stop at the loop limit, not the wall clock.
        ("error:LimitExceeded",),
    ),
    Hostile(
        "itertools-chain-deepcopy-budget",
        "resource",
        "import copy\nfrom itertools import chain\nfor i in range(3):\n"
        "    c = copy.deepcopy(chain)\n    sum(c.from_iterable([[0]] * 60000))",
        # A copy of the program's chain (or of any stand-in holding the program's budget of
        # loop steps) counts against the same budget: three copies are not three budgets.
        LIMIT,
    ),
    Hostile(
        "itertools-islice-deepcopy-budget",
        "resource",
        "import copy\nimport itertools\nn = 0\nfor i in range(3):\n"
        "    islice = copy.deepcopy(itertools.islice)\n    n += sum(islice([0] * 60000, 60000))",
        LIMIT,
    ),
    Hostile(
        "itertools-chain-internals",
        "escape",
        "from itertools import chain\nchain._values",
        VIOLATION,
    ),
    Hostile(
        "itertools-chain-class",
        "escape",
        "from itertools import chain\ntype(chain)(None)",
        VIOLATION,
    ),
    Hostile(
        "typing-alias-of-a-big-tuple",
        "resource",
        "from typing import Tuple\nT = Tuple[(int,) * 10**8]",
        LIMIT + VIOLATION,
    ),
]

FILE = [
    Hostile("open-write", "file", _WRITE, VIOLATION),
    Hostile("torch-save", "file", "torch.save(torch.ones(1), CANARY)", VIOLATION),
    Hostile("torch-load", "file", "t = torch.load('/etc/passwd')", VIOLATION),
    Hostile("torch-from-file", "file", "t = torch.from_file('/etc/passwd', size=10)", VIOLATION),
    Hostile(
        "torch-serialization", "file", "torch.serialization.save(torch.ones(1), CANARY)", VIOLATION
    ),
    Hostile(
        "jit-save", "file", "torch.jit.save(torch.jit.script(nn.Linear(1, 1)), CANARY)", VIOLATION
    ),
    Hostile(
        "onnx-export",
        "file",
        "torch.onnx.export(nn.Linear(1, 1), torch.ones(1), CANARY)",
        VIOLATION,
    ),
    Hostile(
        "import-pathlib", "file", "import pathlib\npathlib.Path(CANARY).write_text('x')", IMPORT
    ),
    Hostile("numpy-tofile", "file", "torch.ones(3).numpy().tofile(CANARY)", VIOLATION),
    Hostile("print-file", "file", "print('x', file=CANARY)", VIOLATION),
    Hostile(
        "load-state-dict-path",
        "file",
        "m = nn.Linear(1, 1)\nm.load_state_dict(CANARY)",
        ("error:TypeError",),
    ),
    Hostile(
        "profiler-trace",
        "file",
        "p = torch.autograd.profiler.profile()\np.export_chrome_trace(CANARY)",
        VIOLATION,
    ),
    Hostile(
        "utils-tensorboard", "file", "w = torch.utils.tensorboard.SummaryWriter(CANARY)", VIOLATION
    ),
    Hostile("package-exporter", "file", "e = torch.package.PackageExporter(CANARY)", VIOLATION),
    Hostile(
        "distributed-filestore", "file", "s = torch.distributed.FileStore(CANARY, 1)", VIOLATION
    ),
    Hostile("functional-builtins-open", "file", "o = F.__builtins__['open'](CANARY, 'w')", REFUSED),
]

NETWORK = [
    Hostile("import-socket", "network", "import socket\ns = socket.socket()", IMPORT),
    Hostile("hub-load", "network", "m = torch.hub.load('pytorch/vision', 'resnet18')", VIOLATION),
    Hostile(
        "hub-url",
        "network",
        "d = torch.hub.load_state_dict_from_url('http://127.0.0.1:9/x')",
        VIOLATION,
    ),
    Hostile(
        "model-zoo",
        "network",
        "d = torch.utils.model_zoo.load_url('http://127.0.0.1:9/x')",
        VIOLATION,
    ),
    Hostile("tcp-store", "network", "s = torch.distributed.TCPStore('127.0.0.1', 9)", VIOLATION),
    Hostile("urllib", "network", "from urllib import request", IMPORT),
]

PROCESS = [
    Hostile("os-system", "process", "torch.os.system('touch ' + CANARY)", VIOLATION),
    Hostile(
        "subprocess", "process", "import subprocess\nsubprocess.run(['touch', CANARY])", IMPORT
    ),
    Hostile(
        "sys-modules-os", "process", "torch.sys.modules['os'].system('touch ' + CANARY)", VIOLATION
    ),
    Hostile(
        "module-torch-os",
        "process",
        "nn.modules.module.torch.os.system('touch ' + CANARY)",
        VIOLATION,
    ),
    Hostile("os-fork", "process", "pid = torch.os.fork()", VIOLATION),
    Hostile(
        "multiprocessing",
        "process",
        "p = torch.multiprocessing.Process(target=print)\np.start()",
        VIOLATION,
    ),
    Hostile(
        "dataloader-workers",
        "process",
        # loads in this process, as num_workers=0 does: no worker is started
        "d = torch.utils.data.DataLoader([1, 2], num_workers=2)\nl = list(d)",
        ("ok",),
    ),
    Hostile(
        "dataloader-worker-init",
        "process",
        "d = torch.utils.data.DataLoader([1, 2], num_workers=2, worker_init_fn=print)\nl = list(d)",
        VIOLATION,
    ),
    Hostile(
        "dataloader-workers-not-an-int",
        "process",
        "d = torch.utils.data.DataLoader([1, 2], num_workers=2.0)\nl = list(d)",
        VIOLATION,
    ),
    Hostile(
        "torch-compile",
        "process",
        "f = torch.compile(lambda x: x + 1)\ny = f(torch.ones(1))",
        VIOLATION,
    ),
    Hostile("jit-fork", "process", "f = torch.jit.fork(print, 1)", VIOLATION),
    Hostile("ops-load-library", "process", "torch.ops.load_library(CANARY)", VIOLATION),
    Hostile(
        "cpp-extension",
        "process",
        "torch.utils.cpp_extension.load_inline('x', 'int x;')",
        VIOLATION,
    ),
]

RESOURCE = [
    Hostile("ones-1e9", "resource", "x = torch.ones(10**9)", TENSOR_LIMIT),
    Hostile("zeros-2d", "resource", "x = torch.zeros(100000, 100000)", TENSOR_LIMIT),
    Hostile("empty-huge", "resource", "x = torch.empty(2**40)", TENSOR_LIMIT),
    Hostile("full-huge", "resource", "x = torch.full((100000, 100000), 1.0)", TENSOR_LIMIT),
    Hostile(
        "arange-tensor-end", "resource", "x = torch.arange(0, torch.tensor(10**9))", TENSOR_LIMIT
    ),
    Hostile("linspace-huge", "resource", "x = torch.linspace(0, 1, steps=10**9)", TENSOR_LIMIT),
    Hostile("eye-huge", "resource", "x = torch.eye(100000)", TENSOR_LIMIT),
    Hostile("randint-huge", "resource", "x = torch.randint(0, 2, (100000, 100000))", TENSOR_LIMIT),
    Hostile(
        "expand-contiguous",
        "resource",
        "x = torch.ones(1, 1).expand(10**6, 10**6).contiguous()",
        TENSOR_LIMIT,
    ),
    Hostile("repeat", "resource", "x = torch.ones(1000).repeat(100000)", TENSOR_LIMIT),
    Hostile(
        "cat-copies",
        "resource",
        "x = torch.ones(100000)\ny = torch.cat([x] * 100000)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "broadcast", "resource", "y = torch.ones(10**4, 1) + torch.ones(1, 10**4)", TENSOR_LIMIT
    ),
    Hostile(
        "broadcast-kwargs",
        "resource",
        "y = torch.add(input=torch.ones(10**5, 1), other=torch.ones(1, 10**5))",
        TENSOR_LIMIT,
    ),
    Hostile("outer", "resource", "a = torch.ones(100000)\ny = torch.outer(a, a)", TENSOR_LIMIT),
    Hostile(
        "einsum-intermediate",
        "resource",
        "a = torch.ones(300, 300)\ns = torch.einsum('ij,kl,ij,kl->', a, a, a, a)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "matmul-growth",
        "resource",
        "y = torch.ones(100000, 1) @ torch.ones(1, 100000)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "advanced-index",
        "resource",
        "x = torch.ones(1000, 1000)\ny = x[torch.zeros(100000, dtype=torch.long)]",
        TENSOR_LIMIT,
    ),
    Hostile("one-hot-values", "resource", "y = F.one_hot(torch.tensor([10**9]))", TENSOR_LIMIT),
    Hostile(
        "repeat-interleave-values",
        "resource",
        "y = torch.repeat_interleave(torch.ones(1), torch.tensor([10**9]))",
        TENSOR_LIMIT,
    ),
    Hostile(
        "adaptive-pool",
        "resource",
        "y = nn.AdaptiveAvgPool2d(100000)(torch.ones(1, 1, 2, 2))",
        TENSOR_LIMIT,
    ),
    Hostile(
        "pad-growth",
        "resource",
        "y = F.pad(torch.ones(1, 1), (10**5, 10**5, 10**5, 10**5))",
        TENSOR_LIMIT,
    ),
    Hostile(
        "nested-list-tensor",
        "resource",
        "t = torch.tensor([[0.0] * 100000] * 100000)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "nested-list-index",
        "resource",
        "x = torch.ones(10)\ny = x[[[0] * 100000] * 100000]",
        TENSOR_LIMIT,
    ),
    Hostile(
        "nested-list-setitem",
        "resource",
        "x = torch.ones(100000)\nx[:] = [[0.0] * 100000] * 100000",
        TENSOR_LIMIT,
    ),
    Hostile("legacy-constructor", "resource", "t = torch.Tensor(100000, 100000)", TENSOR_LIMIT),
    Hostile("linear-huge", "resource", "m = nn.Linear(10**5, 10**5)", TENSOR_LIMIT),
    Hostile("embedding-huge", "resource", "m = nn.Embedding(10**7, 100)", TENSOR_LIMIT),
    Hostile(
        "batched-grad",
        "resource",
        "x = torch.ones(1000, requires_grad=True)\ng = torch.autograd.grad(x.sum(), x, grad_outputs=torch.ones(100000), is_grads_batched=True)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "hook-bypass",
        "resource",
        _LEAF
        + "def h(g):\n    return g + torch.ones(30000, 30000).sum()\nx.register_hook(h)\nx.sum().backward()",
        TENSOR_LIMIT,
    ),
    Hostile(
        "hook-torch-function",
        "resource",
        "x = torch.tensor(3.0, requires_grad=True)\ny = x * 3e8\nx.register_hook(torch.arange)\ny.backward()",
        TENSOR_LIMIT,
    ),
    Hostile(
        "total-elements",
        "resource",
        "ts = []\nfor i in range(100):\n    ts.append(torch.ones(1000, 1000))",
        LIMIT,
    ),
    Hostile(
        "tolist-copies",
        "resource",
        "x = torch.ones(1000000)\nls = [x.tolist() for i in range(100)]",
        OS_STOPS,
    ),
    Hostile("list-mul", "resource", "l = [0] * 10**9", LIMIT),
    Hostile("str-mul", "resource", "s = 'a' * 10**9", LIMIT),
    Hostile(
        "list-double", "resource", "l = [0] * 100000\nfor i in range(40):\n    l.extend(l)", LIMIT
    ),
    Hostile("sequential-mul", "resource", "s = nn.Sequential(nn.ReLU()) * 10**9", LIMIT),
    Hostile("join-bomb", "resource", "s = ('a' * 100000).join(['b'] * 100000)", LIMIT),
    Hostile("sum-lists", "resource", "s = sum([[0] * 100000] * 100000, [])", LIMIT),
    Hostile("repr-shared-lists", "resource", "l = [[0] * 100000] * 100000\nprint(l)", LIMIT),
    Hostile("fstring-shared-lists", "resource", "l = [[0] * 100000] * 100000\ns = f'{l}'", LIMIT),
    Hostile(
        "assert-message-shared-lists",
        "resource",
        "l = [[0] * 100000] * 100000\nassert False, l",
        LIMIT,
    ),
    Hostile(
        "keyerror-shared-tuples",
        "resource",
        "k = ((0,) * 100000,) * 100000\nd = {}\nv = d[k]",
        OS_STOPS,
    ),
    Hostile(
        "dict-key-repr-in-graph",
        "resource",
        "k = ((0,) * 100000,) * 100000\nd = {k: torch.ones(1)}",
        OS_STOPS,
    ),
    Hostile(
        "module-nesting",
        "resource",
        "m = nn.Linear(1, 1)\nfor i in range(20000):\n    m = nn.Sequential(m)",
        # Legal PyTorch: deep, but the graph is drawn by an iterative walk.
        ("ok", *OS_STOPS, "error:RecursionError"),
    ),
    Hostile("percent-width", "resource", "s = '%0999999999d' % 1", LIMIT),
    Hostile("percent-key-width", "resource", "s = '%(a)0999999999d' % {'a': 1}", LIMIT),
    Hostile("bytes-percent-width", "resource", "s = b'%0999999999d' % (1,)", LIMIT),
    Hostile("fstring-width", "resource", "s = f'{1:0999999999}'", REFUSED),
    Hostile("pow-int", "resource", "x = 10**10**10", LIMIT),
    Hostile("lshift-int", "resource", "x = 1 << 10**9", LIMIT),
    Hostile("square-loop", "resource", "x = 3\nfor i in range(64):\n    x = x * x", LIMIT),
    Hostile("deep-recursion", "resource", "def f(n):\n    return f(n + 1)\nf(0)", LIMIT),
    Hostile("lambda-recursion", "resource", "f = lambda n: f(n + 1)\nf(0)", LIMIT),
    Hostile("while-true", "resource", "while True:\n    pass\n", LIMIT),
    Hostile("iter-sentinel", "resource", "s = sum(iter(int, 1))", LIMIT),
    Hostile(
        "calls-in-builtins",
        "resource",
        "def g(i):\n    return i\ns = sum(map(g, range(100000)))\nt = sum(map(g, range(100000)))",
        LIMIT,
    ),
    Hostile(
        "cpu-builtins",
        "resource",
        "s = 0\nfor i in range(100000):\n    s = s + sum(range(100000))\n",
        OS_STOPS,
    ),
    Hostile("print-flood", "resource", "while True:\n    print('x' * 10000)\n", LIMIT),
    Hostile(
        "graph-chain",
        "resource",
        _LEAF + "y = x\nwhile True:\n    y = y * 1.0\n",
        LIMIT + ("error:TimeLimitExceeded",),
    ),
    Hostile(
        "heap-loop",
        "resource",
        "l = []\nwhile True:\n    l.append('x' * 99990 + str(len(l)))\n",
        OS_STOPS,
    ),
    Hostile(
        "slice-copies", "resource", "l = [0] * 100000\nc = [l[:] for i in range(100000)]", OS_STOPS
    ),
    Hostile(
        "cpu-reduce",
        "resource",
        "a = torch.ones(1000, 1000)\nwhile True:\n    b = a.sum()\n",
        OS_STOPS,
    ),
    Hostile(
        "cpu-matmul",
        "resource",
        "a = torch.ones(1000, 1000)\nwhile True:\n    b = a @ a\n",
        OS_STOPS,
    ),
]

_DEEP = 9_000  # as deep as fits in the code-length limit
PARSER = [
    Hostile("nested-parens-10k", "parser", "x = " + "(" * 10_000 + "1" + ")" * 10_000, TOO_LONG),
    Hostile("nested-parens", "parser", "x = " + "(" * _DEEP + "1" + ")" * _DEEP, TOO_COMPLEX),
    Hostile("nested-lists", "parser", "x = " + "[" * _DEEP + "]" * _DEEP, TOO_COMPLEX),
    Hostile("nested-dicts", "parser", "x = " + "{1:" * 4_000 + "1" + "}" * 4_000, TOO_COMPLEX),
    Hostile("long-sum", "parser", "x = " + "+".join(["1"] * 100_000), TOO_LONG),
    Hostile("sum-under-limit", "parser", "x = " + "+".join(["1"] * 9_000), TOO_COMPLEX),
    Hostile("unary-chain", "parser", "x = " + "-" * 19_000 + "1", TOO_COMPLEX),
    Hostile("not-chain", "parser", "x = " + "not " * 4_000 + "1", TOO_COMPLEX),
    Hostile("attribute-chain", "parser", "x = torch" + ".t" * 5_000, TOO_COMPLEX),
    Hostile("call-chain", "parser", "x = " + "abs(" * 3_000 + "1" + ")" * 3_000, TOO_COMPLEX),
    Hostile("lambda-chain", "parser", "f = " + "lambda: " * 2_000 + "1", TOO_COMPLEX),
    Hostile(
        "nested-ifs",
        "parser",
        "".join(" " * i + "if 1:\n" for i in range(100)) + " " * 100 + "x = -(-(-1))\n",
        TOO_COMPLEX,
    ),
    Hostile(
        "nested-loops",
        "parser",
        "".join(" " * i + "for i in []:\n" for i in range(25)) + " " * 25 + "pass\n",
        TOO_COMPLEX,
    ),
    Hostile("nul-byte", "parser", "x = 1\x00\n", ("refused:SyntaxError",)),
    Hostile("lone-surrogate", "parser", "x = '\ud800'", ("refused:SyntaxError",)),
    Hostile("huge-code", "parser", "x = 1\n" * 50_000, TOO_LONG),
    Hostile(
        "huge-int-literal",
        "parser",
        "x = " + "9" * 19_000,
        ("refused:SyntaxError", "error:ValueError"),
    ),
    Hostile("return-outside", "parser", "return torch.os", ("refused:SyntaxError",)),
]

# --- The course surfaces: try/except, generators, classes, numpy, math, collections, re -------
_NP = "import numpy as np\n"
# What a program may be answered when it tries to go on after one of the sandbox's own errors:
# that error (or another refusal of the trick itself), never a normal finish.
STAYS_FATAL = ("error:SandboxViolation", "error:LimitExceeded", "refused:RefusedConstruct")
_CATCH = (
    "sandbox errors derive from BaseException, but Python turns an in-flight exception into a"
    " catchable TypeError when an except clause names a non-class ('except 0:', 'except"
    " type(print):'), and discards it on 'return'/'break' in 'finally' or a raise there; fix:"
    " make the sandbox's error sticky (the runtime remembers it, re-raises it at every later"
    " guard and reports it when the program ends), and/or guard except-clause types in"
    " rewrite.py (_ag_except: only Exception subclasses)"
)
# A bomb refused before it is built: by a limit, or by refusing the call outright.
BOUNDED = LIMIT + VIOLATION
_NUMPY_RULE = "numpy_arrays.predict / allowlist/numpy.py sizes this call from the wrong argument: "

COURSE = [
    # A missing attribute is Python's AttributeError, which a program may catch: what it
    # carries (the object, the sandbox's hint for the answer) stays out of reach, and a name
    # that exists but is refused is not turned into a catchable error.
    Hostile(
        "missing-attribute-carries-nothing-readable",
        "escape",
        "try:\n    torch.ones(1).zero()\nexcept AttributeError as e:\n"
        "    h = getattr(e, '_ag_' + 'hint')\n    o = e.obj\n",
        ("error:SandboxViolation",),
    ),
    Hostile(
        "refused-attribute-is-not-a-missing-one",
        "escape",
        "try:\n    s = torch.ones(1).untyped_storage()\nexcept AttributeError:\n"
        "    print('went on')\n",
        ("error:SandboxViolation",),
    ),
    # The legacy classes (torch.FloatTensor...) isinstance-check as the real ones and convert
    # with x.type(...); the real class, which allocates unchecked, stays out of reach.
    Hostile(
        "legacy-class-real-unreachable",
        "escape",
        "k = torch.FloatTensor.real\nt = k(10**10)\n",
        ("error:SandboxViolation",),
    ),
    Hostile(
        "legacy-class-type-conversion-sized",
        "resource",
        "x = torch.ones(10**6).type(torch.DoubleTensor)\ny = x.expand(10**6, 10**6)"
        ".type(torch.FloatTensor)\n",
        ("error:LimitExceeded", "error:SandboxViolation"),
    ),
    # A program may set cudnn's deterministic/benchmark flags (put back after it): nothing
    # else on that module, nor a module's function, can be assigned.
    Hostile(
        "module-flag-other-names",
        "escape",
        "torch.backends.cudnn.deterministic = True\ntorch.backends.cudnn.is_available = print\n",
        ("error:SandboxViolation",),
    ),
    Hostile(
        "module-flag-through-setattr",
        "escape",
        "import torch.backends.cudnn as c\nsetattr(c, 'benchmark', True)\n"
        "setattr(c, 'torch', None)\n",
        ("error:SandboxViolation",),
    ),
    # The warnings module offers filterwarnings, simplefilter and warn: its filter list, its
    # printing hook and its other names stay out of reach, and its module cannot be changed.
    Hostile(
        "warnings-filters-list",
        "escape",
        "import warnings\nf = warnings.filters\n",
        ("error:SandboxViolation",),
    ),
    Hostile(
        "warnings-module-reaches-sys",
        "escape",
        "import warnings\ns = warnings.sys\n",
        ("error:SandboxViolation",),
    ),
    Hostile(
        "warnings-catch-context",
        "escape",
        "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    pass\n",
        ("error:SandboxViolation", "refused:RefusedConstruct"),
    ),
    # Catching the sandbox's own errors.
    Hostile(
        "except-non-class",
        "escape",
        "try:\n    try:\n        o = torch.os\n    except 0:\n        pass\nexcept TypeError:\n"
        "    print('went on')\n",
        STAYS_FATAL,
    ),
    Hostile(
        "except-runtime-tuple",
        "escape",
        "k = (ValueError, type(print))\ntry:\n    try:\n        x = torch.ones(10**9)\n"
        "    except k:\n        pass\nexcept TypeError:\n    print('went on')\n",
        STAYS_FATAL,
    ),
    Hostile(
        "finally-return-swallows",
        "escape",
        "def f():\n    try:\n        o = torch.os\n    finally:\n        return 1\nf()\n"
        "print('went on')\n",
        STAYS_FATAL,
    ),
    Hostile(
        "finally-break-swallows-limit",
        "escape",
        "for i in range(1):\n    try:\n        while True:\n            pass\n    finally:\n"
        "        break\nprint('went on')\n",
        STAYS_FATAL,
    ),
    Hostile(
        "finally-raise-replaces",
        "escape",
        "try:\n    try:\n        x = torch.ones(10**9)\n    finally:\n        1 / 0\n"
        "except ZeroDivisionError:\n    print('went on')\n",
        STAYS_FATAL,
    ),
    # Things that held: each stays refused.
    Hostile(
        "program-generator-frame",
        "escape",
        "def gen():\n    yield 1\ng = gen()\nf = g.gi_frame\n",
        VIOLATION,
    ),
    Hostile(
        "getattr-traceback",
        "escape",
        "try:\n    1 / 0\nexcept Exception as e:\n    t = getattr(e, '__traceback__')\n",
        VIOLATION,
    ),
    Hostile(
        "hook-partial-func",
        "escape",
        _LEAF + "f = x.register_hook.func\n",
        VIOLATION,
    ),
    Hostile(
        "numpy-scalar-type-attribute",
        "escape",
        "t = torch.ones(2).numpy().dtype.type\nc = t.ctypes\n",
        VIOLATION,
    ),
    Hostile(
        "exception-args-module",
        "escape",
        "try:\n    torch.nn.Module().get_submodule('os')\nexcept Exception as e:\n"
        "    a = e.args\n    m = a[0].system\n",
        ("error:AttributeError", *VIOLATION),
    ),
    Hostile(
        "tensor-of-own-sequence",
        "resource",
        "class S:\n    def __len__(self):\n        return 3000\n    def __getitem__(self, i):\n"
        "        return [0.0] * 3000\nt = torch.tensor(S())\n",
        VIOLATION + TENSOR_LIMIT,
    ),
    Hostile(
        "tensor-of-deque",
        "resource",
        "import collections\nt = torch.tensor(collections.deque([[0.0] * 3000] * 3000))\n",
        VIOLATION + TENSOR_LIMIT,
    ),
    # A program's exception described after the program: its __str__ fails.
    Hostile(
        "exception-str-fails",
        "escape",
        "class E:\n    def __str__(self):\n        return torch.os\nraise ValueError(E())\n",
        ("error:ValueError", *VIOLATION),
    ),
    # torch.from_numpy is not a torch call the mode sees: the runtime routes it there.
    Hostile(
        "from-numpy-uint16",
        "escape",
        _NP + "z = torch.from_numpy(np.array([1], dtype='uint16'))\n",
        VIOLATION,
    ),
    # NumPy results the rules size wrongly (each makes 9,000,000 elements; the limit is 1,000,000).
    Hostile(
        "np-zeros-like-shape",
        "resource",
        _NP + "a = np.zeros_like(1.0, shape=(3000, 3000))\n",
        BOUNDED,
    ),
    Hostile(
        "np-identity-n",
        "resource",
        _NP + "a = np.identity(n=3000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-diag-of-vector",
        "resource",
        _NP + "a = np.diag(np.ones(3000))\n",
        BOUNDED,
    ),
    Hostile(
        "np-where-broadcast",
        "resource",
        _NP + "a = np.where(np.zeros((1, 3000)) > 0, np.zeros((3000, 1)), 1)\n",
        BOUNDED,
    ),
    Hostile(
        "np-add-lists-broadcast",
        "resource",
        _NP + "a = np.add([[0.0] * 3000], [[0.0]] * 3000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-inner",
        "resource",
        _NP + "a = np.inner(np.ones((3000, 1)), np.ones((3000, 1)))\n",
        BOUNDED,
    ),
    Hostile(
        "np-tile-array-reps",
        "resource",
        _NP + "a = np.tile(np.ones(3000), np.array([3000, 1]))\n",
        BOUNDED,
    ),
    Hostile(
        "np-append-to-scalar",
        "resource",
        _NP + "a = np.append(1, [[0.0] * 3000] * 3000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-histogram-bins",
        "resource",
        _NP + "h = np.histogram([1.0], bins=9000000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-bincount-values",
        "resource",
        _NP + "b = np.bincount([9000000])\n",
        BOUNDED,
    ),
    Hostile(
        "np-randint-dtype-last",
        "resource",
        _NP + "a = np.random.randint(0, 10, (3000, 3000), 'int64')\n",
        BOUNDED,
    ),
    Hostile(
        "np-generator-dtype-last",
        "resource",
        _NP + "a = np.random.default_rng(0).random((3000, 3000), np.float32)\n",
        BOUNDED,
    ),
    Hostile(
        "np-multinomial-pvals",
        "resource",
        _NP + "a = np.random.multinomial(1, [1 / 3000] * 3000, size=3000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-arange-keywords",
        "resource",
        _NP + "a = np.arange(start=0, stop=9000000)\n",
        BOUNDED,
    ),
    Hostile(
        "np-arange-0d-array",
        "resource",
        _NP + "a = np.arange(np.array(9000000))\n",
        BOUNDED,
    ),
    Hostile(
        "np-index-broadcast",
        "resource",
        _NP
        + "a = np.ones((3000, 10))\nb = a[np.arange(3000)[:, None], np.zeros((1, 3000), dtype=int)]\n",
        BOUNDED,
    ),
    Hostile(
        "np-index-with-tensor",
        "resource",
        _NP + "a = np.ones((1000, 100))\nb = a[torch.zeros(90000, dtype=torch.long)]\n",
        BOUNDED,
    ),
    Hostile(
        "np-asarray-own-sequence",
        "resource",
        _NP + "row = [0.0] * 3000\nclass S:\n    def __len__(self):\n        return 3000\n"
        "    def __getitem__(self, i):\n        if i >= 3000:\n            raise IndexError\n"
        "        return row\na = np.asarray(S())\n",
        BOUNDED,
    ),
    Hostile(
        "np-subarray-dtype",
        "resource",
        _NP + "a = np.zeros(1, dtype='(3000,3000)f4')\n",
        BOUNDED,
    ),
    Hostile(
        "np-astype-subarray",
        "resource",
        _NP + "a = np.ones(3000).astype('(3000,)f4')\n",
        BOUNDED,
    ),
    Hostile(
        "np-wide-itemsize",
        "resource",
        _NP + "a = np.zeros(1000, dtype='S100000')\n",
        BOUNDED,
    ),
    Hostile(
        "np-copies-not-counted",
        "resource",
        _NP + "a = np.ones(1000000)\nb = [a.copy() for i in range(30)]\n",
        BOUNDED,
    ),
    Hostile(
        "np-object-int-power",
        "resource",
        _NP + "a = np.array([3], dtype=object)\nb = a ** 100000\n",
        BOUNDED,
    ),
    # Text and integers grown past the guards.
    Hostile(
        "str-format-repeated-field",
        "resource",
        "s = 'a' * 100000\nt = ('{0}' * 1000).format(s)\n",
        BOUNDED,
    ),
    Hostile(
        "percent-mapping-repeated-key",
        "resource",
        "s = 'a' * 100000\nt = ('%(a)s' * 1000) % {'a': s}\n",
        BOUNDED,
    ),
    Hostile(
        "fstring-repeated-field",
        "resource",
        "s = 'a' * 100000\nt = f'{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}'\n",
        BOUNDED,
    ),
    Hostile(
        "math-prod-start",
        "resource",
        "import math\nx = 3 ** 2000\ny = math.prod([x], start=x)\nz = math.prod([x], start=y)\n",
        BOUNDED,
    ),
    Hostile(
        "deque-self-extend",
        "resource",
        "import collections\nd = collections.deque([0] * 100000)\nfor i in range(5):\n"
        "    d.extend(d)\n",
        BOUNDED,
    ),
    # Found in review of the text and printing bounds (helper-12): counts that are not
    # Python ints, star-unpacking, text the size walk missed, and NumPy's summariser.
    Hostile(
        "repeat-by-np-int", "resource", "import numpy as np\ns = 'ab' * np.int64(10**8)\n", LIMIT
    ),
    Hostile("repeat-by-tensor", "resource", "s = [0] * torch.tensor(10**8)\n", LIMIT),
    Hostile("bool-shift", "resource", "x = True << 10**9\n", LIMIT),
    Hostile(
        "factorial-of-np-int",
        "resource",
        "import math\nimport numpy as np\nx = math.factorial(np.int64(300000))\n",
        LIMIT,
    ),
    Hostile(
        "pow-np-exponent",
        "resource",
        "import numpy as np\nx = (10**100) ** np.int64(10**6)\n",
        LIMIT,
    ),
    Hostile(
        "star-unpack-doubling",
        "resource",
        "y = [0] * 100000\nfor i in range(8):\n    y = [*y, *y]\n",
        LIMIT,
    ),
    Hostile(
        "star-unpack-counter",
        "resource",
        "import collections\nc = collections.Counter({'a': 10**9})\nt = [*c.elements()]\n",
        LIMIT,
    ),
    Hostile(
        "own-repr-repeated",
        "resource",
        "s = ''.join(['x' * 100000] * 9)\nclass A:\n    def __repr__(self):\n        return s\nt = str([A()] * 300)\n",
        LIMIT,
    ),
    Hostile(
        "tensors-in-a-list-printed-wide",
        "resource",
        "torch.set_printoptions(precision=30, threshold=float('inf'), sci_mode=False)\n"
        "t = str([torch.rand(18000, dtype=torch.float64)] * 240)\n",
        LIMIT,
    ),
    Hostile(
        "deque-of-long-text",
        "resource",
        "s = ''.join(['x' * 100000] * 9)\nimport collections\nt = str(collections.deque([s] * 300))\n",
        LIMIT,
    ),
    Hostile(
        "module-names-repeated",
        "resource",
        "s = ''.join(['x' * 100000] * 9)\nfrom collections import OrderedDict\n"
        "inner = nn.Sequential(OrderedDict([(s, nn.Identity())]))\n"
        "t = repr(nn.Sequential(*[inner] * 300))\n",
        LIMIT,
    ),
    Hostile(
        "exception-of-many-long-args",
        "resource",
        "s = ''.join(['x' * 100000] * 9)\nraise ValueError(*[s] * 1000)\n",
        ("error:ValueError",),
    ),
    Hostile(
        "numpy-edgeitems-zero",
        "resource",
        "import numpy as np\nnp.set_printoptions(threshold=0, edgeitems=0)\n"
        "t = repr(np.zeros((1,) * 28 + (4,), bool))\n",
        VIOLATION,
    ),
    Hostile(
        "np-scalar-type-on-a-list",
        "resource",
        "import numpy as np\nb = np.float32([[0.0] * 1000] * 3000)\n",
        LIMIT,
    ),
    Hostile(
        "np-scalar-type-plain-broadcast",
        "resource",
        "import numpy as np\nb = np.float32(np.ones((1000, 1000)))\nc = b[:, :, None] * b[:, None, :]\n",
        LIMIT,
    ),
    Hostile(
        "np-dtype-type-on-a-list",
        "resource",
        "import numpy as np\nf = np.zeros(1).dtype.type\nb = f([[0.0] * 1000] * 3000)\n",
        LIMIT,
    ),
    Hostile(
        "np-scalar-stand-in-real", "escape", "import numpy as np\nt = np.float32.real\n", VIOLATION
    ),
    Hostile(
        "np-scalar-stand-in-guard",
        "escape",
        "import numpy as np\ng = np.float32.guard\n",
        VIOLATION,
    ),
    Hostile(
        "np-dtype-type-guard",
        "escape",
        "import numpy as np\ng = getattr(np.zeros(1).dtype.type, 'guard')\n",
        VIOLATION,
    ),
    Hostile(
        "np-scalar-stand-in-metaclass",
        "escape",
        "import numpy as np\nk = type(np.float32)('K', (), {})\n",
        VIOLATION,
    ),
    Hostile(
        "np-scalar-stand-in-mro", "escape", "import numpy as np\nm = np.float32.mro()\n", VIOLATION
    ),
    Hostile(
        "format-many-keywords",
        "resource",
        "d = dict(zip(map(str, range(100000)), range(100000)))\n"
        "s = ('{a}' * 30000).format(a=1, **d)\n",
        ("ok",),
    ),
    # Graphs bounded in every dimension (issue 13): each answers a cut graph, never a crash.
    Hostile(
        "graph-300000-parallel-edges",
        "resource",
        "x = torch.ones(1, requires_grad=True)\n" + "a = torch.cat([x] * 99999)\n" * 3,
        ("ok",),
    ),
    Hostile(
        "graph-tensor-of-1100-dimensions",
        "resource",
        "x = torch.ones([1] * 1100, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n",
        ("ok",),
    ),
    Hostile(
        "graph-one-tensor-named-100000-times",
        "resource",
        "x = torch.ones(1, requires_grad=True)\nxs = [x] * 100000\n",
        ("ok",),
    ),
    Hostile(
        "graph-long-names",
        "resource",
        "x = torch.ones(1, requires_grad=True)\n"
        "m = nn.ModuleDict({'k' * 90000: nn.Linear(1, 1)})\n"
        f"{'v' * 9000} = x * 2\nd = {{'w' * 90000: x}}\n",
        ("ok",),
    ),
    Hostile(
        "graph-lone-surrogate-in-sequential",
        "resource",
        "from collections import OrderedDict\n"
        "s = nn.Sequential(OrderedDict([(chr(0xD800), nn.Linear(1, 1))]))\n"
        "y = s(torch.ones(1, 1))\ny.sum().backward()\n",
        ("ok",),
    ),
    # Issue 15: graphs whole up to 21,000 nodes. 20,000 nodes of 1,000-number tensors: the
    # previews are bounded (100,000 numbers in all, then each tensor's first 8), so the answer
    # stays small; 20,000 nodes that each save 5,000 numbers are over the live-element limit.
    Hostile(
        "graph-20000-nodes-of-large-tensors",
        "resource",
        "x = torch.ones(1000, requires_grad=True)\ny = x\nfor i in range(10000):\n"
        "    y = torch.sin(y)\ny.sum().backward()\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    Hostile(
        "graph-20000-nodes-of-huge-tensors",
        "resource",
        "x = torch.ones(5000, requires_grad=True)\ny = x\nfor i in range(10000):\n"
        "    y = torch.sin(y)\ny.sum().backward()\n",
        LIMIT,
    ),
    # A graph whose drawn part goes early (2,500 ops), then over the size limit once its
    # values are in (each tensor bound to 32 names of 200 characters): the worker cuts its
    # nodes after the early line, and the server drops that drawing and draws the cut graph
    # (tests/api/test_early_drawing.py compares the picture).
    Hostile(
        "graph-cut-after-its-early-line",
        "resource",
        "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(2500):\n"
        "    y = y * 1.001\n    " + " = ".join(f"{'n' * 190}{i}" for i in range(32)) + " = y\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # A tuple nested a million deep (ten levels a loop step), then hashed: C recursion.
    Hostile(
        "tuple-million-deep-hashed",
        "resource",
        "t = ()\nfor i in range(100000):\n    t = ((((((((((t,),),),),),),),),),)\nh = hash(t)\n",
        LIMIT,
    ),
    Hostile(
        "tuple-million-deep-dict-key",
        "resource",
        "t = ()\nfor i in range(100000):\n    t = ((((((((((t,),),),),),),),),),)\nd = {t: 1}\n",
        LIMIT,
    ),
    Hostile(
        "tuple-million-deep-set-member",
        "resource",
        "t = ()\nfor i in range(40000):\n    t = " + "(" * 25 + "t," + ")," * 24 + ")\n"
        "s = set()\ns.add(t)\n",
        LIMIT,
    ),
    Hostile(
        "tuple-million-deep-frozenset",
        "resource",
        "t = ()\nfor i in range(40000):\n    t = " + "(" * 25 + "t," + ")," * 24 + ")\n"
        "s = frozenset([t])\n",
        LIMIT,
    ),
    Hostile(
        "tuple-million-deep-dict-of-pairs",
        "resource",
        "t = ()\nfor i in range(40000):\n    t = " + "(" * 25 + "t," + ")," * 24 + ")\n"
        "d = dict([(t, 1)])\n",
        LIMIT,
        xfail="dict(pairs), d.update(pairs), dict.fromkeys and collections' dicts hash unchecked",
    ),
    Hostile(
        "zip-million-deep-next",
        "resource",
        "z = [1]\nfor i in range(40000):\n    z = " + "zip(" * 25 + "z" + ")" * 25 + "\n"
        "v = next(z)\n",
        LIMIT + ("error:RecursionError",),
        xfail="zip/map/filter/enumerate nested a million deep recurse in C on next()",
    ),
    Hostile(
        "iter-million-deep-next",
        "resource",
        "z = [1]\nfor i in range(40000):\n    z = " + "iter(" * 25 + "z" + ")" * 25 + "\n"
        "v = next(z)\n",
        LIMIT + ("error:RecursionError",),
        xfail="generators (the counted iter() too) nested a million deep recurse in C on next()",
    ),
    Hostile(
        "slice-million-deep-freed",
        "resource",
        "s = 1\nfor i in range(40000):\n    s = " + "slice(" * 25 + "s" + ")" * 25 + "\ns = 0\n",
        ("ok",) + LIMIT + VIOLATION,
        xfail="slice, staticmethod, property, enumerate nested a million deep are freed"
        " recursively in C",
    ),
    # Memory a program gets without values in it (PyTorch's 'empty' kin) holds zeros, never
    # what an earlier program (or this one) freed; the ways to reach raw memory stay refused.
    Hostile(
        "empty-shows-no-freed-values",
        "escape",
        "s = torch.full((100000,), 31337.0)\ndel s\n"
        "y = torch.empty(100000)"
        "\nassert int((y == 31337.0).sum()) == 0\n",
        ("ok",),
    ),
    Hostile(
        "empty-out-shows-no-freed-values",
        "escape",
        "s = torch.full((100000,), 31337.0)\ndel s\n"
        "y = torch.empty(100000, out=torch.zeros(1))"
        "\nassert int((y == 31337.0).sum()) == 0\n",
        ("ok",),
    ),
    Hostile(
        "legacy-constructor-shows-no-freed-values",
        "escape",
        "s = torch.full((100000,), 31337.0)\ndel s\n"
        "y = torch.FloatTensor(100000)"
        "\nassert int((y == 31337.0).sum()) == 0\n",
        ("ok",),
    ),
    Hostile(
        "empty-like-shows-no-freed-values",
        "escape",
        "s = torch.full((100000,), 31337.0)\ndel s\n"
        "y = torch.zeros(1).new_empty(100000) + torch.empty_like(torch.ones(100000))"
        "\nassert int((y == 31337.0).sum()) == 0\n",
        ("ok",),
    ),
    Hostile(
        "resize-grows-into-freed-memory",
        "escape",
        "x = torch.zeros(1)\nx.resize_(100000)",
        VIOLATION,
    ),
    Hostile(
        "set-to-other-memory", "escape", "x = torch.zeros(1)\nx.set_(torch.zeros(9))", VIOLATION
    ),
    Hostile("tensor-new-uninitialised", "escape", "x = torch.zeros(1).new(100000)", VIOLATION),
    Hostile("empty-strided-gaps", "escape", "x = torch.empty_strided((10,), (100,))", VIOLATION),
    # Sized before they allocate (each allocated first, up to 21 GB, before the check).
    Hostile("reduce-no-elements", "resource", "y = torch.zeros(300000000, 0).sum(1)", LIMIT),
    Hostile(
        "nonzero-62-dims",
        "resource",
        "a = torch.ones([1000, 1000] + [1] * 60)\nb = a.nonzero()",
        LIMIT,
    ),
    Hostile(
        "where-mask-62-dims",
        "resource",
        "a = torch.ones([1000, 1000] + [1] * 60)\nb = torch.where(a > 0)",
        LIMIT,
    ),
    Hostile(
        "mask-index-62-dims",
        "resource",
        "a = torch.ones([1000, 1000] + [1] * 60)\nb = a[a > 0]",
        LIMIT,
    ),
    Hostile("unbind-empty-rows", "resource", "r = torch.zeros(10**8, 0).unbind()", LIMIT),
    Hostile("iterate-empty-rows", "resource", "for r in torch.zeros(10**8, 0):\n    pass", LIMIT),
    Hostile("tolist-empty-rows", "resource", "r = torch.zeros(10**8, 0).tolist()", LIMIT),
    Hostile("tensor-split-many", "resource", "r = torch.zeros(1).tensor_split(10**7)", LIMIT),
    Hostile(
        "histogram-many-bins", "resource", "h = torch.histogram(torch.zeros(3), bins=10**8)", LIMIT
    ),
    Hostile(
        "lstm-long-output",
        "resource",
        "m = nn.LSTM(1, 100)\ny = m(torch.zeros(10000, 100, 1))",
        LIMIT,
    ),
    # The search for a module's name (app/walk/module_scopes.py) looks at a bounded number
    # of variables and items: 1,200 lists of 999 items and 1,000 modules held nowhere made it
    # compare 1.2 billion items (minutes) before the search had a budget.
    Hostile(
        "module-name-search",
        "resource",
        "".join(f"a{i}=[0]*999\n" for i in range(1200))
        + "x = torch.ones(1, 1)\nfor i in range(1000):\n    y = nn.Linear(1, 1)(x)\n",
        ("ok",),
    ),
    # nn.TransformerEncoderLayer: its weights are sized as they are made, and its attention
    # by the weights of each head, which PyTorch makes even when it returns none of them.
    Hostile("transformer-wide", "resource", "m = nn.TransformerEncoderLayer(10**5, 1)", LIMIT),
    Hostile(
        "transformer-feedforward-huge",
        "resource",
        "m = nn.TransformerEncoderLayer(2, 1, dim_feedforward=10**7)",
        LIMIT,
    ),
    Hostile(
        "transformer-long-sequence",
        "resource",
        "m = nn.TransformerEncoderLayer(8, 1, dim_feedforward=8)\ny = m(torch.zeros(3000, 1, 8))",
        LIMIT,
    ),
    Hostile(
        "attention-weights-not-returned",
        "resource",
        "m = nn.MultiheadAttention(8, 1, dropout=0.1)\nx = torch.zeros(3000, 1, 8)\n"
        "y, w = m(x, x, x, need_weights=False)",
        LIMIT,
    ),
    Hostile(
        "embedding-bag-many-bags",
        "resource",
        "e = nn.EmbeddingBag(10, 10000)\n"
        "y = e(torch.zeros(100000, dtype=torch.long), torch.arange(100000))",
        LIMIT,
    ),
    Hostile("int-from-long-text", "resource", "x = int('9' * 4300)", ("error:ValueError",)),
    Hostile("str-times-tensor", "resource", "s = 'ab' * torch.tensor(400000000)", LIMIT),
    # The fast paths of the common case (tensor and float arithmetic, one plain tensor
    # result, attribute names already read), each aimed at with what it must still stop.
    Hostile(
        "fast-float-times-broadcast",
        "resource",
        "y = 0.5 * torch.ones(10**4, 1) * torch.ones(1, 10**4)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-parameter-times-broadcast",
        "resource",
        "w = nn.Parameter(torch.ones(10**4, 1))\ny = w * torch.ones(1, 10**4)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-pow-tensor-exponent-broadcast",
        "resource",
        "y = torch.ones(10**4, 1) ** torch.ones(1, 10**4)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-pow-inplace-broadcast",
        "resource",
        "y = torch.ones(10**4, 1)\ny **= torch.ones(1, 10**4)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-one-element-tensors-then-broadcast",
        "resource",
        "y = torch.ones(1, 1, 1) * torch.ones(10**4, 1) + torch.ones(1, 1) + torch.ones(1, 10**4)",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-three-tensor-broadcast",
        "resource",
        "y = torch.addcmul(torch.ones(()), torch.ones(10**4, 1), torch.ones(1, 10**4))",
        TENSOR_LIMIT,
    ),
    Hostile(
        "fast-empty-tensor-beside-another",
        "resource",
        "y = torch.zeros(300000000, 0).sum(1) + torch.ones(1)",
        LIMIT,
    ),
    Hostile("fast-bool-times-huge-int", "resource", "x = True * 2**4000 * 2**4000", LIMIT),
    Hostile("fast-float-list-repeat", "resource", "x = [0.5] * torch.tensor(10**8)", LIMIT),
    Hostile(
        "fast-tensor-dtype-after-plain-results",
        "escape",
        "x = torch.ones(2) * 2.0\ny = x.to(torch.uint16)",
        VIOLATION,
    ),
    Hostile(
        "fast-getattr-tensor-private-after-listed",
        "escape",
        "x = torch.ones(1)\ng = x.grad\nc = getattr(x, '_' + 'cdata')",
        VIOLATION,
    ),
    Hostile(
        "fast-setattr-tensor-method-after-listed",
        "escape",
        "x = torch.ones(1)\nx.grad = None\nx.backward = print",
        VIOLATION,
    ),
    Hostile(
        "fast-setattr-tensor-private-after-listed",
        "escape",
        "x = torch.ones(1)\nx.grad = None\nsetattr(x, '_version', 3)",
        VIOLATION,
    ),
    Hostile(
        "fast-getattr-module-after-listed",
        "escape",
        "s = torch.sin\ns = torch.sin\nl = getattr(torch, 'lo' + 'ad')",
        VIOLATION,
    ),
    Hostile(
        "percent-many-wide-fields",
        "resource",
        "s = ('%999d' * 20000) % tuple(range(20000))",
        LIMIT,
    ),
    Hostile(
        "np-nonzero-32-dims",
        "resource",
        "import numpy as np\na = np.ones([1000, 1000] + [1] * 30)\nb = np.nonzero(a)",
        LIMIT,
    ),
    Hostile(
        "np-where-32-dims",
        "resource",
        "import numpy as np\na = np.ones([1000, 1000] + [1] * 30)\nb = np.where(a)",
        LIMIT,
    ),
    Hostile(
        "np-reduce-no-elements",
        "resource",
        "import numpy as np\nb = np.zeros((10**8, 0)).sum(1)",
        LIMIT,
    ),
    Hostile(
        "np-tolist-empty-rows",
        "resource",
        "import numpy as np\nb = np.zeros((10**8, 0)).tolist()",
        LIMIT,
    ),
    # super().__init__ runs a base's __init__: only on the program's own object, in its class.
    Hostile(
        "super-init-outside-class",
        "escape",
        "class A:\n    def __init__(self):\n        pass\nb = A()\nsuper(A, b).__init__()",
        REFUSED,
    ),
    Hostile(
        "super-init-on-another-object",
        "escape",
        "class N(nn.Module):\n    def __init__(self, m):\n        super(N, m).__init__()\n"
        "n = N(nn.Linear(2, 2))",
        REFUSED,
    ),
    Hostile(
        "class-base-generic-list",
        "escape",
        "class L(nn.Module, list[int]):\n    pass",
        VIOLATION,
    ),
    # Course autograd APIs (issue 17): hooks and their handles, torch.autograd.functional,
    # inference mode, a tensor's _version.
    # Issue 17, hooks shown on the graph: a hook's handle in ``with``, and the gradients the
    # graph notes before a program's hooks change them (bounded per pass).
    Hostile(
        "with-hook-handle-reaches-its-dict",
        "escape",
        _LEAF + "with x.register_hook(lambda g: g) as h:\n    d = h.hooks_dict_ref()",
        VIOLATION,
    ),
    Hostile(
        "with-a-non-handle",
        "escape",
        "class M:\n    def __enter__(self):\n        return self\n"
        "    def __exit__(self, *a):\n        return True\nwith M():\n    pass",
        (*REFUSED, *VIOLATION),
    ),
    Hostile(
        "hooks-on-many-large-gradients",
        "resource",
        "x = torch.ones(20000, requires_grad=True)\nys = []\nfor i in range(400):\n"
        "    y = x * (i + 1)\n    y.register_hook(lambda g: g * 2)\n    ys.append(y)\n"
        "torch.stack(ys).sum().backward()",
        ("ok", *LIMIT),
    ),
    Hostile(
        "tensor-hook-returns-huge-tensor",
        "resource",
        _LEAF + "h = x.register_hook(lambda g: torch.zeros(10**8))\n(x * 2).sum().backward()",
        LIMIT,
    ),
    Hostile(
        "forward-hook-returns-huge-tensor",
        "resource",
        "m = nn.Linear(2, 2)\nh = m.register_forward_hook(lambda mod, i, o: o.repeat(10**4, 10**4))"
        "\ny = m(torch.ones(1, 2))",
        LIMIT,
    ),
    Hostile(
        "backward-hook-returns-huge-grads",
        "resource",
        "m = nn.Linear(2, 2)\n"
        "h = m.register_full_backward_hook(lambda mod, gi, go: (torch.zeros(10**8),))\n"
        "m(torch.ones(1, 2)).sum().backward()",
        LIMIT,
    ),
    Hostile(
        "forward-hook-grows-a-list",
        "resource",
        "m = nn.Linear(2, 2)\nseen = [0]\n"
        "h = m.register_forward_hook(lambda mod, i, o: seen.extend(seen))\n"
        "while True:\n    m(torch.ones(1, 2))",
        LIMIT,
    ),
    Hostile(
        "forward-hook-calls-its-module",
        "resource",
        "m = nn.Linear(2, 2)\nh = m.register_forward_hook(lambda mod, i, o: mod(i[0]))\n"
        "y = m(torch.ones(1, 2))",
        LIMIT,
    ),
    Hostile(
        "hook-handle-dict",
        "escape",
        _LEAF + "h = x.register_hook(lambda g: g)\nhooks = h.hooks_dict_ref()",
        VIOLATION,
    ),
    Hostile(
        "hook-handle-globals",
        "escape",
        "h = nn.Linear(1, 1).register_forward_hook(lambda m, i, o: o)\ng = h.remove.__globals__",
        REFUSED,
    ),
    Hostile(
        "hook-handle-globals-by-getattr",
        "escape",
        "h = nn.Linear(1, 1).register_forward_hook(lambda m, i, o: o)\n"
        "g = getattr(h.remove, '__glo' + 'bals__')",
        VIOLATION,
    ),
    Hostile(
        "jacobian-2000-elements",
        "resource",
        "J = torch.autograd.functional.jacobian(lambda x: x * 2, torch.ones(2000))",
        LIMIT,
    ),
    Hostile(
        "jacobian-2000-vectorized",
        "resource",
        "from torch.autograd.functional import jacobian\n"
        "J = jacobian(lambda x: x.sin(), torch.ones(2000), vectorize=True)",
        LIMIT,
    ),
    Hostile(
        "hessian-2000-elements",
        "resource",
        "H = torch.autograd.functional.hessian(lambda x: (x ** 3).sum(), torch.ones(2000))",
        LIMIT,
    ),
    Hostile(
        "jacobian-function-loops-forever",
        "resource",
        "def f(x):\n    while True:\n        pass\n    return x\n"
        "J = torch.autograd.functional.jacobian(f, torch.ones(3))",
        LIMIT,
    ),
    Hostile(
        "inference-mode-huge-tensor",
        "resource",
        "with torch.inference_mode():\n    y = torch.zeros(10**8)",
        LIMIT,
    ),
    Hostile("version-set", "escape", "x = torch.ones(2)\nx._version = 0", VIOLATION),
    # register_post_accumulate_grad_hook hands the hook the parameter itself: nothing new.
    Hostile(
        "post-accumulate-hook-grows-grad",
        "resource",
        _LEAF + "def h(p):\n    p.grad = torch.ones(10**8)\n"
        "x.register_post_accumulate_grad_hook(h)\nx.sum().backward()",
        LIMIT,
    ),
    # Complex tensors: sized, printed and counted like real ones (a complex128 element is two).
    Hostile(
        "complex-broadcast",
        "resource",
        "z = torch.complex(torch.ones(2000, 1), torch.ones(1, 2000))",
        LIMIT,
    ),
    Hostile(
        "polar-broadcast",
        "resource",
        "z = torch.polar(torch.ones(2000, 1), torch.ones(1, 2000))",
        LIMIT,
    ),
    Hostile(
        "complex-print-full-precision",
        "resource",
        "torch.set_printoptions(precision=30, threshold=10**6)\n"
        "z = torch.ones(500000, dtype=torch.cdouble)\nprint(z)",
        LIMIT,
    ),
    Hostile(
        "complex128-held-counts-twice",
        "resource",
        "xs = []\nfor i in range(30):\n    xs.append(torch.ones(1000000, dtype=torch.complex128))",
        LIMIT,
    ),
    Hostile(
        "complex-numpy-outer",
        "resource",
        _NP + "z = torch.ones(1000000, dtype=torch.cdouble).numpy()\nw = z[:, None] * z[None, :]",
        LIMIT,
    ),
    Hostile(
        "complex-real-set",
        "escape",
        "z = torch.ones(2, dtype=torch.cfloat)\nz.real = torch.zeros(2)",
        VIOLATION,
    ),
    Hostile(
        # Every step's chain rule in numbers is computed from what the nodes saved: 600 nodes
        # that each saved 10,000 numbers must not cost 600 derivatives of 10,000 (the graph
        # computes local values up to a budget and keeps the formulas of the rest).
        "chain-rule-locals-of-large-saved-values",
        "resource",
        "x = torch.rand(10000, requires_grad=True)\ny = x\nfor i in range(300):\n"
        "    y = (y ** 1.0001).tanh()\ny.sum().backward()",
        ("ok",),
    ),
    Hostile(
        "post-accumulate-hook-reaches-globals",
        "escape",
        _LEAF + "x.register_post_accumulate_grad_hook(lambda p: p.__globals__)\nx.sum().backward()",
        REFUSED,
    ),
    # The answer's modules table reads each module's own _modules and _parameters: a program
    # may not put its own objects there, nor make a property run when they are read.
    Hostile(
        "module-table-reads-a-replaced-parameters-dict",
        "escape",
        "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(2, 2)\n        self._parameters = {'w': 5}\n    def forward(self, x):\n        return self.l(x)\nm = M()\nm(torch.ones(2)).sum().backward()\n",
        VIOLATION,
    ),
    Hostile(
        "module-table-reads-a-replaced-modules-dict",
        "escape",
        "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(2, 2)\n        self._modules = {'a': 5}\n    def forward(self, x):\n        return self.l(x)\nm = M()\nm(torch.ones(2)).sum().backward()\n",
        VIOLATION,
    ),
    Hostile(
        "module-table-reads-a-dict-subclass",
        "escape",
        "class D(dict):\n    def values(self):\n        while True:\n            pass\n"
        + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(2, 2)\n        self.extra = D()\n        self.extra.update(self._parameters)\n    def forward(self, x):\n        return self.l(x)\nm = M()\nm(torch.ones(2)).sum().backward()\n",
        ("refused:RefusedConstruct",) + VIOLATION,
    ),
    Hostile(
        "module-table-of-3000-modules",
        "resource",
        "layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(3000)])\nx = torch.ones(1)\n"
        "for layer in layers:\n    x = layer(x)\nx.sum().backward()\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # A light loop runs twice (app/walk/pass_window.py): the time limit covers both runs.
    Hostile(
        "loop-run-twice-then-spins",
        "resource",
        "w = torch.ones(1, requires_grad=True)\ni = 0\nwhile i < 30:\n"
        "    (w * i).sum().backward()\n    i += 1\n"
        "x = torch.randn(200, 200)\nfor i in range(6000):\n    y = x @ x\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # The second run reads another clock: another number of passes than the first counted
    # (a while loop: its calls are not predicted, so it is run twice).
    Hostile(
        "loop-run-twice-counts-other-passes",
        "resource",
        "import time\nw = torch.ones(1, requires_grad=True)\n"
        "n = 25 + int(time.perf_counter() * 1000) % 50\ni = 0\n"
        "while i < n:\n    (w * i).sum().backward()\n    i += 1\nprint(n, w.grad)\n",
        ("ok",),
    ),
    # A loop's calls predicted at its first one (app/language/loops.py): a loop that stops
    # far short of its range, then spins, is answered within the time limit all the same.
    Hostile(
        "loop-predicted-then-breaks-and-spins",
        "resource",
        "w = torch.ones(1, requires_grad=True)\nfor i in range(3000):\n"
        "    (w * i).sum().backward()\n    if i == 40:\n        break\n"
        "x = torch.randn(200, 200)\nfor i in range(6000):\n    y = x @ x\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # Thousands of generators suspended inside their loops: frames of loops no backward call
    # is in, and nests of 100 ** 3000 iterations; closed in any order, and no prediction.
    Hostile(
        "loop-frames-of-suspended-generators",
        "resource",
        "def g():\n    for i in range(100):\n        yield i\n"
        "gens = [g() for _ in range(3000)]\nfor h in gens:\n    next(h)\n"
        "w = torch.ones(1, requires_grad=True)\nfor i in range(200):\n"
        "    (w * i).sum().backward()\n    gens.pop(0)\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # The program's own Dataset: the prediction never calls its __len__ (no output the plain
    # program would not print, and its failure stays the program's own).
    Hostile(
        "loop-length-of-a-programs-dataset",
        "resource",
        "from torch.utils.data import Dataset, DataLoader\n"
        "class D(Dataset):\n    def __len__(self):\n        print('len')\n        return 64\n"
        "    def __getitem__(self, i):\n        return torch.tensor([float(i)])\n"
        "w = torch.ones(1, requires_grad=True)\nfor x in DataLoader(D(), batch_size=2):\n"
        "    (w * x).sum().backward()\n",
        ("ok",),
    ),
    # Past the modules named (2,625): the rest are counted, their nodes have no module.
    Hostile(
        "module-table-of-6000-modules",
        "resource",
        "layers = nn.ModuleList([nn.ReLU() for _ in range(6000)])\n"
        "x = torch.ones(1, requires_grad=True)\n"
        "for layer in layers:\n    x = layer(x)\nx.sum().backward()\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
    # Every block holds one big list of modules: each row's parameter count walks it again
    # (a minute before the table had a budget).
    Hostile(
        "module-table-of-blocks-sharing-a-big-module",
        "resource",
        "big = nn.ModuleList([nn.Identity() for _ in range(5000)])\n"
        "class B(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.big = big\n        self.l = nn.Linear(1, 1)\n"
        "    def forward(self, x):\n        return self.l(x)\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.blocks = nn.ModuleList([B() for _ in range(1300)])\n"
        "    def forward(self, x):\n        for b in self.blocks:\n            x = b(x)\n"
        "        return x\n"
        "Net()(torch.ones(1)).sum().backward()\n",
        ("ok", "error:TimeLimitExceeded"),
    ),
]

HOSTILE = ESCAPE + FILE + NETWORK + PROCESS + RESOURCE + PARSER + COURSE
