"""Hints for what the sandbox refuses, in English and Chinese: what to do instead.

Each refusal (at check time, HTTP 400, or at run time) carries one of these, chosen by what
was refused. No hint may claim that something is available when it is refused: each says
what to do within what runs here, and ``WHAT_RUNS_HERE`` is the page that lists it all.
"""

from __future__ import annotations

from app.hints.hint import Hint

WHAT_RUNS_HERE = "/what-runs-here"


def _hint(key: str, en: str, zh: str) -> Hint:
    return Hint(f"sandbox_{key}", en, zh)


FILES = _hint(
    "files",
    "Files cannot be opened or saved here: put the data in the program (a list, or"
    " `torch.randn(...)` for random data), and print what you would have saved.",
    "这里不能打开或保存文件：把数据直接写在程序里（列表，或用 `torch.randn(...)` 生成随机数据），"
    "想保存的内容用 print 打印出来。",
)
NETWORK = _hint(
    "network",
    "Nothing can be downloaded here: instead of a dataset, make data of the same shape in the"
    " program, e.g. `torch.randn(64, 1, 28, 28)` for a batch of MNIST-sized images and"
    " `torch.randint(0, 10, (64,))` for their labels.",
    "这里不能下载任何东西：不用数据集，而是在程序里生成同样形状的数据，例如用"
    " `torch.randn(64, 1, 28, 28)` 代替一批 MNIST 大小的图片，用"
    " `torch.randint(0, 10, (64,))` 代替它们的标签。",
)
GPU = _hint(
    "gpu",
    "This server has no GPU: use `.cpu()`, or pick the device the portable way,"
    " `device = 'cuda' if torch.cuda.is_available() else 'cpu'`, and `.to(device)`.",
    "这台服务器没有 GPU：使用 `.cpu()`，或者用通用的写法选择设备："
    "`device = 'cuda' if torch.cuda.is_available() else 'cpu'`，再 `.to(device)`。",
)
D2L = _hint(
    "d2l",
    "The book's helper package (`d2l`, `d2lzh_pytorch`) is not available here: copy the helper"
    " functions the program uses (such as `synthetic_data`, `sgd`, `squared_loss`) into the"
    " program.",
    "书中的辅助包（`d2l`、`d2lzh_pytorch`）在这里不可用：把程序用到的辅助函数（例如"
    " `synthetic_data`、`sgd`、`squared_loss`）直接复制到程序里。",
)
UNUSED_IMPORT = _hint(
    "unused_import",
    "This module is not available here, and teaching code rarely needs it: delete the import."
    " What runs here: torch (with nn, optim, utils.data), numpy, math, random, collections,"
    " copy, time, `re`, `typing`, `string`, `warnings`, `sys.platform`, and matplotlib's"
    " plotting calls (not drawn).",
    "这个模块在这里不可用，教学代码一般也用不到它：删掉这行 import 即可。这里能用的有："
    "torch（含 nn、optim、utils.data）、numpy、math、random、collections、copy、time、`re`、"
    "`typing`、`string`、`warnings`、`sys.platform`，以及 matplotlib 的绘图调用（不会画出图）。",
)
WARNINGS = _hint(
    "warnings",
    "Warnings cannot be turned into errors here: delete the"
    " `warnings.filterwarnings('error')` / `warnings.simplefilter('error')` line. Other filters,"
    " such as `'ignore'`, work as usual.",
    "这里不能把警告变成错误：删掉 `warnings.filterwarnings('error')` /"
    " `warnings.simplefilter('error')` 这一行。`'ignore'` 等其他过滤设置可以照常使用。",
)
PROGRESS_BARS = _hint(
    "progress_bars",
    "Progress bars (`tqdm`) are not available here: delete the import and loop over the"
    " iterable itself, `for X, y in train_iter:` instead of `for X, y in tqdm(train_iter):`;"
    " print the loss every few steps to follow the training.",
    "这里不能使用进度条（`tqdm`）：删掉这行 import，直接遍历原来的对象，把"
    " `for X, y in tqdm(train_iter):` 改成 `for X, y in train_iter:`；想看训练进度，"
    "每隔几步打印一次损失即可。",
)
UNDERSCORE = _hint(
    "underscore",
    "Names that start with two underscores are Python's machinery, and the underscore"
    " attributes of PyTorch's objects are its internals: neither is available here. Use the"
    " public API (e.g. `model.named_parameters()`, `model.register_buffer(name, tensor)`,"
    " `tensor.grad_fn`); your own objects may have attributes like `self._prev`.",
    "以两个下划线开头的名字属于 Python 自身的机制，PyTorch 对象上以下划线开头的属性属于它的内部实现，"
    "这里都不可用。请使用公开接口（例如 `model.named_parameters()`、"
    "`model.register_buffer(name, tensor)`、`tensor.grad_fn`）；你自己定义的对象可以有"
    " `self._prev` 这样的属性。",
)
CONSTRUCT = _hint(
    "construct",
    "This part of Python is not available here. Courses rarely need it: `global` can become an"
    " argument and a return value, `match` an `if`/`elif` chain.",
    "这里不支持这部分 Python 语法，课程代码一般也用不到：`global` 可以改成参数和返回值，"
    "`match` 可以改成 `if`/`elif`。",
)
BUILTIN = _hint(
    "builtin",
    "This builtin is not available here: it reads or runs things outside the program (files,"
    " the keyboard, other code). Write the values and the code into the program directly.",
    "这个内置函数在这里不可用：它会访问程序之外的东西（文件、键盘输入、其他代码）。"
    "请把数值和代码直接写进程序。",
)
ATTRIBUTE = _hint(
    "attribute",
    "This name is outside what the playground runs. The PyTorch that courses use (tensors,"
    " autograd, nn, optim, utils.data) and numpy, math and random are available; see the list"
    " on the 'What runs here' page.",
    "这个名字不在在线环境支持的范围内。课程中常用的 PyTorch（张量、自动求导、nn、optim、"
    "utils.data）以及 numpy、math、random 都可以使用；完整列表见“这里能运行什么”页面。",
)
DECORATOR = _hint(
    "decorator",
    "Only `@staticmethod`, `@classmethod`, `@property` (with its `.setter`) and"
    " `@torch.no_grad()` are available as decorators here.",
    "这里只支持这些装饰器：`@staticmethod`、`@classmethod`、`@property`（及其 `.setter`）和"
    " `@torch.no_grad()`。",
)
CLASS = _hint(
    "class",
    "Classes may subclass `object`, `nn.Module`, `torch.autograd.Function` or a"
    " `torch.utils.data` dataset, and may define their own methods and the usual special"
    " methods (`__init__`, `__call__`, `__len__`, `__getitem__`, `__add__`...). An"
    " `nn.Module` keeps PyTorch's own methods: define `forward`, not `__call__`.",
    "类可以继承 `object`、`nn.Module`、`torch.autograd.Function` 或 `torch.utils.data`"
    " 中的数据集类，可以定义自己的方法和常用的特殊方法（`__init__`、`__call__`、`__len__`、"
    "`__getitem__`、`__add__` 等）。`nn.Module` 要保留 PyTorch 自己的方法：定义"
    " `forward`，不要定义 `__call__`。",
)
WORKERS = _hint(
    "workers",
    "DataLoader worker processes are not available here: use `num_workers=0` (the default);"
    " with data this small it is just as fast.",
    "这里不能启动 DataLoader 的工作进程：使用 `num_workers=0`（默认值）；数据这么小，"
    "速度不会变慢。",
)
WORKERS_IN_PROCESS = _hint(
    "workers_in_process",
    "A DataLoader asked for worker processes (`num_workers`), which are not started here: it"
    " loaded its batches in the program's own process, as `num_workers=0` does. The batches"
    " are the same, and with data this small it is just as fast.",
    "有 DataLoader 要求启动工作进程（`num_workers`），这里不会启动：它在程序自己的进程里加载"
    "批量数据，和 `num_workers=0` 一样。得到的批量完全相同，数据这么小，速度也不会变慢。",
)
TOO_BIG = _hint(
    "too_big",
    "The program is longer or more deeply nested than the playground runs: split it, or keep"
    " the part that shows what you want to see.",
    "程序太长或嵌套太深，在线环境无法运行：把它拆开，或者只保留你想观察的那一部分。",
)
SYNTAX = _hint(
    "syntax",
    "Python could not read this line: check the brackets, quotes, colons and indentation"
    " around the place marked.",
    "Python 无法读懂这一行：检查标出位置附近的括号、引号、冒号和缩进。",
)
PRINT_OPTIONS = _hint(
    "print_options",
    "`torch.set_printoptions` and `np.set_printoptions` work here within bounds: `precision`"
    " from 0 to 30, `edgeitems` from 0 to 1,000 (NumPy's from 1), `linewidth` from 1 to 10,000, `threshold` any"
    " number (`sys.maxsize` or `float('inf')` too); torch's `profile` and `sci_mode`, NumPy's"
    " `suppress`, `floatmode`, `sign`, `nanstr`, `infstr` and `legacy` as usual. NumPy's"
    " `formatter` is not available. A print longer than the text limit is refused.",
    "这里可以使用 `torch.set_printoptions` 和 `np.set_printoptions`，但取值有范围：`precision`"
    " 为 0 到 30，`edgeitems` 为 0 到 1,000（NumPy 为 1 到 1,000），`linewidth` 为 1 到 10,000，`threshold` 可以是任意数"
    "（包括 `sys.maxsize` 或 `float('inf')`）；torch 的 `profile`、`sci_mode`，NumPy 的"
    " `suppress`、`floatmode`、`sign`、`nanstr`、`infstr`、`legacy` 照常使用。NumPy 的"
    " `formatter` 不可用。超过文本长度上限的打印会被拒绝。",
)
PLOTS = _hint(
    "plots",
    "Plots are not drawn here: the plotting calls did nothing, and the rest of the program ran"
    " as usual.",
    "这里不会画图：绘图调用没有任何效果，程序的其余部分照常运行。",
)
FIRST_PASSES = _hint(
    "first_passes",
    "This loop calls backward() more often than the graph keeps passes, and took too long to"
    " run twice: the graph shows its first 20 backward passes, not its latest (the loss curve"
    " has every call). With fewer iterations it shows the first and the latest.",
    "这个循环调用 backward() 的次数超过计算图保留的次数，且运行太久，无法再运行一次：计算图"
    "显示的是前 20 次反向传播，而不是最近的几次（损失曲线包含每一次调用）。减少迭代次数后，"
    "将显示第一次和最近的几次。",
)
NOTEBOOK_LINES = _hint(
    "notebook_lines",
    "Lines starting with % or ! (a notebook's magics such as `%matplotlib inline`, and shell"
    " commands such as `!pip install`) are not Python: they were skipped, and the rest ran."
    " Plots are not drawn here, and no command runs.",
    "以 % 或 ! 开头的行（笔记本的魔法命令，如 `%matplotlib inline`，以及 `!pip install` 这样的"
    " shell 命令）不是 Python 代码：这些行被跳过了，其余部分照常运行。这里不画图，也不运行任何命令。",
)
CLOCK = _hint(
    "clock",
    "This program reads the clock, so each run prints other times; its answer is never reused.",
    "这个程序读取了时钟，每次运行打印的时间都不同；它的结果不会被缓存复用。",
)
