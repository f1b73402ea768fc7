"""The words of the "What runs here" page, in English and Chinese.

The page (``/what-runs-here``) and ``docs/what-runs-here.md`` show the allowlist's facts
(``app/language/catalogue.py``); these are the words around them: the explanation at the top,
each list's title and the line that says how to read it, the title of each group of refusals
(by the key of its hint, ``sandbox.py``) and each limit's name. Text in backticks is code.
"""

from __future__ import annotations

from typing import Any

Text = dict[str, str]  # {"en": ..., "zh": ...}; `code` in backticks


def _text(en: str, zh: str) -> Text:
    return {"en": en, "zh": zh}


# --- the words around the lists ---------------------------------------------------------------

TITLE = _text("What runs here", "这里能运行什么")
LEDE = _text(
    "Everything a program may use here, and what stays out, with the reason. The lists are"
    " made from the sandbox's own records, so they are what the server checks, name for name.",
    "这里列出程序可以使用的全部内容，以及哪些内容不可用、为什么。下面的清单直接由沙箱自己的记录生成，"
    "与服务器实际检查的内容逐项一致。",
)

IN_THE_APP = _text(
    "The same in the app: `/what-runs-here` (`/what-runs-here?lang=zh` in Chinese).",
    "应用中的同一页面：`/what-runs-here`（中文：`/what-runs-here?lang=zh`）。",
)

# The explanation at the top: sections of paragraphs, or of items with a lead. ``hints``: the
# keys of the hints a section answers (a refusal's "What runs here" link ends in #<key>).
ABOUT: list[dict[str, Any]] = [
    {
        "id": "why",
        "title": _text("Why there is a list", "为什么要有这份清单"),
        "paragraphs": [
            _text(
                "Anyone can send a program here, without an account, and every program runs on"
                " the same shared server. So a program may use only what is listed below: the"
                " parts of PyTorch, NumPy and Python's standard library that course programs"
                " use, each checked before it runs and bounded while it runs. Anything else is"
                " refused, before the program starts or when the line that reaches for it runs,"
                " with a hint that says what to write instead.",
                "任何人都可以把程序发到这里运行，不需要账号，所有程序都在同一台共享服务器上运行。"
                "因此程序只能使用下面列出的内容：课程程序会用到的那部分 PyTorch、NumPy 和 Python"
                " 标准库，每一项在运行前都要经过检查，运行时也受到限制。其他内容都会被拒绝"
                "（在程序开始之前，或在用到它的那一行运行时），并附上提示，说明可以怎样改写。",
            ),
            _text(
                "`torch`, `nn`, `F` (`torch.nn.functional`) and `optim` are already imported;"
                " `import` lines for the modules listed below work as usual.",
                "`torch`、`nn`、`F`（`torch.nn.functional`）和 `optim` 已经导入；"
                "导入下面列出的模块的 `import` 语句照常可用。",
            ),
        ],
    },
    {
        "id": "never",
        "title": _text("What is never available, and why", "哪些内容永远不可用，为什么"),
        "hints": ["sandbox_workers", "sandbox_workers_in_process"],
        "items": [
            {
                "lead": _text("Files.", "文件。"),
                "text": _text(
                    "A program could read the server's files or fill its disk, and loading a"
                    " saved model (`torch.load`, `pickle`) can run any code. Put the data in the"
                    " program, and print what you would have saved.",
                    "程序可能读取服务器上的文件或写满磁盘，而加载保存的模型（`torch.load`、"
                    "`pickle`）可以执行任意代码。把数据直接写进程序，把想保存的内容打印出来。",
                ),
            },
            {
                "lead": _text("The network.", "网络。"),
                "text": _text(
                    "A server that fetches addresses for strangers can be turned against other"
                    " machines, and datasets are large and slow to download. Make data of the"
                    " same shape instead: `torch.randn(64, 1, 28, 28)` is a batch of"
                    " MNIST-sized images.",
                    "替陌生人访问网址的服务器可能被用来攻击其他机器，而且数据集很大、下载很慢。"
                    "请生成同样形状的数据：`torch.randn(64, 1, 28, 28)` 就是一批 MNIST"
                    " 大小的图片。",
                ),
            },
            {
                "lead": _text("Other processes and threads.", "其他进程和线程。"),
                "text": _text(
                    "Each program runs in one process with a fixed budget of time and memory;"
                    " a process it started would be outside that budget. This includes the"
                    " DataLoader's worker processes: a DataLoader given `num_workers=4` loads"
                    " in the program's own process, as `num_workers=0` does (the same"
                    " batches, just as fast with data this small).",
                    "每个程序在一个进程中运行，时间和内存都有固定的额度；程序另外启动的进程就不受"
                    "这个额度的限制了。DataLoader 的工作进程也是如此：写了 `num_workers=4` 的"
                    " DataLoader 会在程序自己的进程里加载数据，和 `num_workers=0` 一样"
                    "（批量完全相同，数据这么小，速度也一样快）。",
                ),
            },
            {
                "lead": _text("A GPU.", "GPU。"),
                "text": _text(
                    "The server has none. `torch.cuda.is_available()` answers `False`, so the"
                    " portable `device = 'cuda' if torch.cuda.is_available() else 'cpu'`"
                    " runs here unchanged.",
                    "服务器上没有 GPU。`torch.cuda.is_available()` 返回 `False`，所以通用写法"
                    " `device = 'cuda' if torch.cuda.is_available() else 'cpu'` 可以原样运行。",
                ),
            },
            {
                "lead": _text("Other packages.", "其他软件包。"),
                "text": _text(
                    "Each package would have to be checked name by name, as PyTorch's names are"
                    " below, before strangers' programs could call it. For a book's helper"
                    " package (`d2l`), copy the helper functions the program uses into it.",
                    "每个软件包都要像下面的 PyTorch 名字一样逐个检查，才能让陌生人的程序调用。"
                    "书中的辅助包（`d2l`）用不了：把程序用到的辅助函数直接复制到程序里。",
                ),
            },
        ],
    },
    {
        "id": "plots",
        "title": _text("Plots run and draw nothing", "绘图调用会运行，但不会画图"),
        "hints": ["sandbox_plots", "sandbox_notebook_lines"],
        "paragraphs": [
            _text(
                "The calls of `matplotlib.pyplot` (`plt.plot`, `plt.subplots`, `plt.show`...)"
                " run and do nothing, and the answer notes that plots are not drawn here."
                " Course programs often end a training loop with a loss curve: refusing the"
                " program for that would hide the autograd graph the student came to see, to"
                " stop a picture this page could not show anyway. Print the values to see"
                " them.",
                "`matplotlib.pyplot` 的调用（`plt.plot`、`plt.subplots`、`plt.show` 等）会照常"
                "运行但什么也不做，结果中会注明这里不画图。课程程序常在训练循环结束时画一条损失"
                "曲线：如果因此拒绝整个程序，学生就看不到他们想看的自动求导图，而那张曲线图本来"
                "也无法在这里显示。想看这些数值，就把它们打印出来。",
            ),
        ],
    },
    {
        "id": "printing",
        "title": _text("Printing", "打印"),
        "hints": ["sandbox_print_options"],
        "paragraphs": [
            _text(
                "Tensors and arrays print as on your own computer. `torch.set_printoptions`"
                " and `np.set_printoptions` work within bounds: `precision` from 0 to 30,"
                " `edgeitems` from 0 to 1,000 (NumPy's from 1), `linewidth` from 1 to 10,000, any `threshold`"
                " (`sys.maxsize` prints every element); NumPy's `formatter` is not available."
                " A print whose text could be longer than 1,000,000 characters is refused"
                " before it is made; print a slice (`x[:5]`) or a summary (`x.mean()`) instead."
                " The values shown on the graph always use PyTorch's default print options.",
                "张量和数组的打印结果和在你自己的电脑上一样。`torch.set_printoptions` 和"
                " `np.set_printoptions` 可以使用，但取值有范围：`precision` 为 0 到 30，"
                "`edgeitems` 为 0 到 1,000（NumPy 为 1 到 1,000），`linewidth` 为 1 到 10,000，`threshold` 任意"
                "（`sys.maxsize` 会打印全部元素）；NumPy 的 `formatter` 不可用。打印的文本如果可能"
                "超过 1,000,000 个字符，会在生成之前被拒绝：请改为打印一部分（`x[:5]`）或汇总值"
                "（`x.mean()`）。计算图上显示的数值总是使用 PyTorch 的默认打印选项。",
            ),
        ],
    },
    {
        "id": "random",
        "title": _text("Random numbers", "随机数"),
        "paragraphs": [
            _text(
                "Unseeded random numbers differ on every run, as on your own computer:"
                " `torch`, `numpy.random` and `random` start from fresh entropy for each"
                " program. Call `torch.manual_seed(0)` (or `np.random.seed(0)`,"
                " `random.seed(0)`) before the first draw to get the same numbers, the same"
                " graph and the same gradients each time.",
                "不设随机种子时，每次运行得到的随机数都不一样，和在你自己的电脑上一样：每个程序的"
                " `torch`、`numpy.random` 和 `random` 都从新的随机状态开始。在第一次取随机数之前"
                "调用 `torch.manual_seed(0)`（或 `np.random.seed(0)`、`random.seed(0)`），"
                "每次就会得到相同的数值、相同的计算图和相同的梯度。",
            ),
        ],
    },
]

# The generated parts: title, a line on how to read them, and the keys of the hints each answers.
SECTIONS: dict[str, dict[str, Any]] = {
    "libraries": {
        "title": _text("Modules and their names", "模块及其中的名字"),
        "intro": _text(
            "The modules a program may import, and the names it may use on each. Every"
            " step of a path needs its entry: `torch.nn.functional.relu` is `nn` on `torch`,"
            " `functional` on `torch.nn`, `relu` on `torch.nn.functional`. The filters of"
            " `warnings` change nothing (warnings are not shown here).",
            "程序可以导入的模块，以及每个模块中可以使用的名字。路径的每一步都要在清单中："
            "`torch.nn.functional.relu` 需要 `torch` 上的 `nn`、`torch.nn` 上的 `functional`"
            " 和 `torch.nn.functional` 上的 `relu`。`warnings` 的过滤设置不会有任何影响（这里不显示警告）。",
        ),
        "hints": ["sandbox_attribute", "sandbox_warnings"],
    },
    "objects": {
        "title": _text("Objects and their attributes", "对象及其属性"),
        "intro": _text(
            "What a program may read, and set, on each kind of object (and on objects of"
            " classes derived from it). A program's own objects may also have fields of their"
            " own, such as `self.hidden`.",
            "程序可以在每种对象（以及由它派生的类的对象）上读取和设置的属性。程序自己创建的对象"
            "还可以有自己的字段，例如 `self.hidden`。",
        ),
        "hints": [],
    },
    "classes": {
        "title": _text("Your own classes", "你自己定义的类"),
        "intro": _text(
            "A class may build on `object` or on one of the classes below, and may redefine"
            " of the base's methods only those listed with it; decorators are limited to the"
            " list below. Names that start with two underscores are Python's machinery: only"
            " the special methods listed here may be defined.",
            "类可以继承 `object` 或下面列出的类，对于基类的方法，只能重新定义与它一起列出的那些；"
            "装饰器只能使用下面列出的几个。以两个下划线开头的名字属于 Python 自身的机制："
            "只能定义这里列出的特殊方法。",
        ),
        "hints": ["sandbox_class", "sandbox_decorator", "sandbox_underscore"],
    },
    "builtins": {
        "title": _text("Python's builtins", "Python 的内置函数"),
        "intro": _text(
            "The builtin functions and classes a program sees. Some behave as usual but"
            " with a check of their own (`range` and `list` count what they make, `print`"
            " writes into the output, `getattr` reaches only the names listed here).",
            "程序可以使用的内置函数和类。其中一些行为与平常相同，但另有检查（`range` 和 `list`"
            " 会计数，`print` 写入输出区，`getattr` 只能取到这里列出的名字）。",
        ),
        "hints": [],
    },
    "refused": {
        "title": _text("Not available here", "这里不可用的内容"),
        "intro": _text(
            "Modules and names course programs reach for that stay out, with the hint a"
            " program that uses them gets. Anything not listed on this page stays out too.",
            "课程程序常会用到、但这里不可用的模块和名字，以及使用它们的程序会得到的提示。"
            "本页没有列出的其他内容同样不可用。",
        ),
        "hints": [],
    },
    "limits": {
        "title": _text("Limits", "限制"),
        "intro": _text(
            "Every program runs within these limits; a program over one stops with a message"
            " that names it.",
            "每个程序都在这些限制内运行；超过任何一项，程序就会停止，并给出说明是哪一项的消息。",
        ),
        "hints": ["sandbox_too_big", "sandbox_first_passes"],
    },
}

# Small words the lists use.
WORDS: dict[str, Text] = {
    "contents": _text("On this page", "本页内容"),
    "back": _text("Playground", "演练场"),
    "module": _text("module", "模块"),
    "read": _text("may read", "可以读取"),
    "set": _text("may set", "可以设置"),
    "class_read": _text("on the class", "类上的"),
    "own_fields": _text("its own fields", "自己的字段"),
    "base": _text("may redefine", "可以重新定义"),
    "object": _text(
        "any method of its own and these special methods", "任意自己的方法，以及这些特殊方法"
    ),
    "decorators": _text("Decorators", "装饰器"),
    "available": _text("Available", "可用"),
    "guarded": _text("Available, with a check of their own", "可用，但另有检查"),
    "unavailable": _text("Not available", "不可用"),
    "hint": _text("What to do instead", "可以怎样做"),
    "limit": _text("Limit", "限制"),
    "value": _text("Value", "数值"),
    "generated": _text(
        "Made from the sandbox's records by `python -m app.language.catalogue`: do not edit.",
        "由 `python -m app.language.catalogue` 根据沙箱的记录生成，请勿手工修改。",
    ),
}

# What each group of refusals is about, by the key of the hint it gets.
REFUSAL_TITLES: dict[str, Text] = {
    "sandbox_files": _text("Files", "文件"),
    "sandbox_network": _text("The network and downloaded datasets", "网络和需要下载的数据集"),
    "sandbox_d2l": _text("The books' helper packages", "书中的辅助包"),
    "sandbox_gpu": _text("GPUs", "GPU"),
    "sandbox_builtin": _text(
        "Builtins that reach outside the program", "访问程序之外内容的内置函数"
    ),
    "sandbox_unused_import": _text("Modules teaching code does not need", "教学代码用不到的模块"),
    "sandbox_progress_bars": _text("Progress bars", "进度条"),
}

# Each limit, as a student would name it, with its unit.
LIMITS: dict[str, tuple[Text, Text]] = {
    "max_code_chars": (_text("Program length", "程序长度"), _text("characters", "个字符")),
    "max_ast_nodes": (_text("Syntax nodes in the program", "程序的语法节点"), _text("", "个")),
    "max_ast_depth": (_text("Nesting of expressions", "表达式嵌套"), _text("levels", "层")),
    "max_tensor_elements": (
        _text("Elements in one tensor", "单个张量的元素"),
        _text("elements", "个"),
    ),
    "max_live_elements": (
        _text("Tensor elements held at once", "同时存在的张量元素"),
        _text("elements", "个"),
    ),
    "max_loop_iterations": (
        _text("Loop iterations and function calls, all together", "循环迭代与函数调用（合计）"),
        _text("", "次"),
    ),
    "max_call_depth": (_text("Nested function calls", "函数调用的嵌套"), _text("levels", "层")),
    "max_sequence_length": (
        _text("Items in a list or string the program builds", "程序构造的列表或字符串的长度"),
        _text("items", "项"),
    ),
    "max_int_bits": (_text("Size of an integer", "整数的大小"), _text("bits", "位")),
    "max_nesting_depth": (
        _text("Nesting of a tuple used as a key or hashed", "用作键或求哈希的元组的嵌套"),
        _text("levels", "层"),
    ),
    "max_stdout_chars": (
        _text("Printed output (the rest is cut off)", "打印输出（超出的部分被截断）"),
        _text("characters", "个字符"),
    ),
    "max_graph_nodes": (_text("Graph nodes shown", "显示的计算图节点"), _text("", "个")),
    "max_graph_edges": (_text("Graph edges shown", "显示的计算图边"), _text("", "条")),
    "max_parallel_edges": (
        _text("Edges shown between two nodes", "两个节点之间显示的边"),
        _text("", "条"),
    ),
    "max_saved_per_node": (
        _text("Saved values shown of each function node", "每个函数节点显示的保存值"),
        _text("", "个"),
    ),
    "max_names_per_node": (
        _text("Variable names shown of each tensor", "每个张量显示的变量名"),
        _text("", "个"),
    ),
    "max_label_chars": (
        _text("Length of a name or label in the graph", "计算图中名称或标签的长度"),
        _text("characters", "个字符"),
    ),
    "max_value_dims": (
        _text("Dimensions of a tensor whose value is shown", "显示数值的张量的维数"),
        _text("", "维"),
    ),
    "max_graph_bytes": (
        _text("Size of the graph's JSON", "返回的计算图数据的大小"),
        _text("bytes", "字节"),
    ),
    "max_preview_elements": (
        _text("Numbers shown of each tensor", "每个张量显示的数值"),
        _text("", "个"),
    ),
    "max_backward_passes": (
        _text("Backward passes recorded", "记录的反向传播"),
        _text("", "次"),
    ),
    "eval_timeout_s": (_text("Running time", "运行时间"), _text("s", "秒")),
    "worker_memory_mb": (
        _text("Memory of the process that runs the program", "运行程序的进程的内存"),
        _text("MiB", "兆字节"),
    ),
}
