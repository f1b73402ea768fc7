"""The service's own error messages in Chinese: refusals, limits, failures, busy answers.

The English messages are written where each refusal happens (``app/language``,
``app/workers``, ``app/api``), with the offending value in them. This table reads them back:
a pattern per message shape, and the Chinese text made of the same values. A message of a
service kind that no pattern knows still gets a Chinese sentence (its kind's), so a student
reading Chinese never gets an English-only refusal. An exception the program itself raised
(``RuntimeError``, ``NameError``...) is Python's or PyTorch's text: it has none
(``chinese`` returns None), its hint explains it.
"""

from __future__ import annotations

import re

# The error types whose messages are the service's words (everything else is the program's).
SERVICE_KINDS = frozenset(
    {
        "RefusedConstruct",
        "RefusedImport",
        "ProgramTooComplex",
        "ProgramTooLarge",
        "CodeTooLong",
        "SandboxViolation",
        "LimitExceeded",
        "TimeLimitExceeded",
        "WorkerCrashed",
        "GraphTooComplex",
        "RateLimited",
        "TooManyInFlight",
        "Busy",
        "Unavailable",
        "RequestTimeout",
        "RequestTooLarge",
        "InvalidRequest",
        "NotFound",
        "MethodNotAllowed",
        "HTTPError",
        "InternalError",
    }
)

# When no pattern knows the message: what happened, by kind.
_BY_KIND: dict[str, str] = {
    "RefusedConstruct": "这里不支持程序中用到的这部分 Python 语法。",
    "RefusedImport": "这里不能导入这个模块或名字。",
    "ProgramTooComplex": "程序嵌套得太深，无法在这里解析。",
    "ProgramTooLarge": "程序太大，超出了这里的限制。",
    "CodeTooLong": "程序太长，超出了这里的限制。",
    "SandboxViolation": "程序用到了这里不提供的功能。",
    "LimitExceeded": "程序超出了这里的一项限制。",
    "TimeLimitExceeded": "程序运行时间过长，已被终止。",
    "WorkerCrashed": "运行程序的进程失败了（通常是内存不够）。",
    "GraphTooComplex": "程序运行完了，但它的计算图无法绘制。",
    "RateLimited": "请求太频繁了，请稍后再试。",
    "TooManyInFlight": "你已经有请求正在运行，请等它完成后再试。",
    "Busy": "服务器正忙，请稍后再试。",
    "Unavailable": "服务正在启动或停止，请稍后再试。",
    "RequestTimeout": "请求发送得太慢，已被拒绝。",
    "RequestTooLarge": "请求太大，超出了这里的限制。",
    "InvalidRequest": "请求的格式不对（不是 JSON，或缺少字段、字段类型不对）。",
    "NotFound": "这个地址上没有内容。",
    "MethodNotAllowed": "这个地址不接受这种请求方法。",
    "HTTPError": "请求没有被接受。",
    "InternalError": "服务器处理这个请求时出错了。",
}

# (pattern over the English message, Chinese text with the pattern's groups as {name}).
# The first match wins: a specific shape comes before a general one.
_PATTERNS: tuple[tuple[str, str], ...] = (
    # --- limits ---------------------------------------------------------------------------------
    (
        r"(?P<what>.+) would make a tensor of (?P<n>[\d,]+) elements; the limit is (?P<cap>[\d,]+)",
        "{what} 会创建一个有 {n} 个元素的张量；上限是 {cap} 个。",
    ),
    (
        r"(?P<what>.+) would make an array of (?P<n>[\d,]+) elements; the limit is (?P<cap>[\d,]+)",
        "{what} 会创建一个有 {n} 个元素的数组；上限是 {cap} 个。",
    ),
    (
        r"(?P<what>.+) would make (?P<n>[\d,]+) tensors or lists; the limit is (?P<cap>[\d,]+)",
        "{what} 会创建 {n} 个张量或列表；上限是 {cap} 个。",
    ),
    (
        r"program holds tensors of (?P<n>[\d,]+) elements at once; the limit is (?P<cap>[\d,]+)",
        "程序同时持有的张量共有 {n} 个元素；上限是 {cap} 个。",
    ),
    (
        r"program ran more than (?P<n>[\d,]+) loop iterations and function calls in total",
        "程序的循环次数和函数调用次数加起来超过了 {n} 次。",
    ),
    (
        r"range of (?P<n>[\d,]+) numbers is over the limit of (?P<cap>[\d,]+)",
        "range 有 {n} 个数，超过了上限 {cap}。",
    ),
    (r"calls nested more than (?P<n>[\d,]+) deep", "函数调用嵌套超过了 {n} 层。"),
    (
        r"a list of (?P<n>[\d,]+) items is over the limit of (?P<cap>[\d,]+)",
        "列表有 {n} 项，超过了上限 {cap}。",
    ),
    (
        r"a list or string of (?P<n>[\d,]+) items is over the limit of (?P<cap>[\d,]+)",
        "列表或字符串有 {n} 项，超过了上限 {cap}。",
    ),
    (
        r"an integer of about (?P<n>[\d,]+) bits is over the limit of (?P<cap>[\d,]+)",
        "整数大约有 {n} 位（二进制），超过了上限 {cap} 位。",
    ),
    (
        (
            r"the text (?:being built|of this value|of this tensor|of this array) (?:would|could) be"
            r" (?:over )?(?P<n>[\d,]+) characters long(?:; the limit is (?P<cap>[\d,]+))?"
        ),
        "生成的文本会超过 {n} 个字符，超出了这里的限制。",
    ),
    (
        r"(?:replaced|joined) text of (?P<n>[\d,]+) characters is over the limit of (?P<cap>[\d,]+)",
        "生成的文本有 {n} 个字符，超过了上限 {cap}。",
    ),
    (
        r"a tuple nested more than (?P<n>[\d,]+) levels deep cannot be hashed here.*",
        "嵌套超过 {n} 层的元组在这里不能计算哈希（用作字典的键、集合的元素或传给 hash()）。",
    ),
    (
        r"program ran longer than (?P<s>[\d.]+) s and was stopped",
        "程序运行超过了 {s} 秒，已被终止。",
    ),
    # --- what is not available -----------------------------------------------------------------
    (
        r"import of '(?P<name>[^']+)' is not available(?: here)?(?: \(.*\))?",
        "这里不能导入 '{name}'（可以导入的模块列在“这里能运行什么”页面上）。",
    ),
    (
        r"'from (?P<m>[^ ]+) import \*' is not available.*",
        "这里不能用 'from {m} import *'：请逐个导入名字。",
    ),
    (r"'(?P<name>[^']+)' is not available in this sandbox", "这里不提供 '{name}'。"),
    (r"'(?P<name>[^']+)' is not available here", "这里不提供 '{name}'。"),
    (
        r"attribute '(?P<name>[^']+)' of (?P<obj>.+) is not available in this sandbox",
        "这里不能使用 {obj} 的属性 '{name}'。",
    ),
    (
        r"attribute '(?P<name>[^']+)' of (?P<obj>.+) cannot be assigned in this sandbox",
        "这里不能给 {obj} 的属性 '{name}' 赋值。",
    ),
    (r"attribute '(?P<name>[^']+)' cannot be assigned", "不能给属性 '{name}' 赋值。"),
    (
        (
            r"(?P<what>[\w ]+) '(?P<name>[^']+)' is not available: names that start with two"
            r" underscores.*"
        ),
        "不能使用 '{name}'：以两个下划线开头的名字属于 Python 和这个沙盒。",
    ),
    (
        r"special method '(?P<name>[^']+)' is not available; a class may define (?P<ok>.+)",
        "这里不能定义特殊方法 '{name}'；类可以定义的有：{ok}。",
    ),
    (r"device '(?P<d>[^']+)' is not available here", "这里没有设备 '{d}'：只能使用 CPU。"),
    (
        r"(?P<what>.+) made a tensor on device '(?P<d>[^']+)'; only CPU tensors are available",
        "{what} 在设备 '{d}' 上创建了张量；这里只能使用 CPU 张量。",
    ),
    (
        r"(?P<what>.+) made a (?P<dtype>\S+) tensor; that dtype is not available in this sandbox",
        "{what} 创建了 {dtype} 类型的张量；这里不提供这种数据类型。",
    ),
    (
        r"(?P<what>.+) made a (?P<layout>\S+) tensor; only dense tensors are available",
        "{what} 创建了 {layout} 布局的张量；这里只能使用稠密张量。",
    ),
    (
        r"DataLoader\((?P<arg>[^)]*)\): worker processes are not available here",
        "DataLoader({arg})：这里不能启动工作进程。",
    ),
    (r"(?P<what>.+) runs only while its program runs", "{what} 只能在它的程序运行期间调用。"),
    (r"the program has ended: its functions no longer run", "程序已经结束：它的函数不能再运行。"),
    (r"calling the class '(?P<name>[^']+)' is not available here", "这里不能调用类 '{name}'。"),
    (
        (
            r"class '(?P<name>[^']+)' may build on object, nn\.Module, torch\.autograd\.Function or"
            r" a torch\.utils\.data dataset only"
        ),
        (
            "类 '{name}' 只能继承 object、nn.Module、torch.autograd.Function 或 torch.utils.data"
            " 的数据集类。"
        ),
    ),
    (
        (
            r"class '(?P<name>[^']+)' may not define '(?P<m>[^']+)' on (?P<base>\S+); of its methods"
            r" it may define (?P<ok>.+)"
        ),
        "类 '{name}' 不能在 {base} 上定义 '{m}'；它可以定义的方法有：{ok}。",
    ),
    (
        r"'(?P<name>[^']+)' cannot be used as a decorator here; available: (?P<ok>.+)",
        "这里不能把 '{name}' 用作装饰器；可用的有：{ok}。",
    ),
    (r"class decorators are not available", "这里不支持类装饰器。"),
    (r"nested format specifications are not available", "这里不支持嵌套的格式说明。"),
    (r"format width '(?P<w>[^']+)' is too large", "格式宽度 '{w}' 太大了。"),
    (
        r"class keywords \(such as metaclass=\) are not available",
        "这里不支持类关键字参数（例如 metaclass=）。",
    ),
    (
        r"a class body may only define methods and simple attributes",
        "类的定义体中只能定义方法和简单属性。",
    ),
    (r"deleting attributes is not available", "这里不能删除属性。"),
    (r"'with \.\.\. as' must bind a plain name", "'with ... as' 后面必须是一个简单的名字。"),
    (r"annotated assignment must bind a plain name", "带类型注解的赋值必须绑定一个简单的名字。"),
    (
        r"a loop variable must be a plain name or a tuple of names",
        "循环变量必须是一个名字，或由名字组成的元组。",
    ),
    (
        (
            r"'with' is available only for torch\.no_grad\(\), torch\.enable_grad\(\),"
            r" torch\.set_grad_enabled\(\) and torch\.inference_mode\(\)"
        ),
        (
            "'with' 只能用于 torch.no_grad()、torch.enable_grad()、torch.set_grad_enabled() 和"
            " torch.inference_mode()。"
        ),
    ),
    (
        r"'super' may only be used as super\(\)\.__init__\(\).*",
        "'super' 只能在类的方法中以 super().__init__()（或 super(ClassName, self).__init__()）的形式使用。",
    ),
    (
        r"type\(\) with three arguments \(making a class\) is not available here.*",
        "这里不能用三个参数的 type() 创建类：请用 class 语句。",
    ),
    (r"print\(file=\.\.\.\) is not available here", "这里不能使用 print(file=...)。"),
    (
        r"'from __future__ import (?P<name>\w+)' is not available here",
        "这里不能使用 'from __future__ import {name}'。",
    ),
    (r"the option '(?P<name>[^']+)' is not available", "选项 '{name}' 在这里不可用。"),
    (
        (
            r"(?P<f>[\w.]+): (?P<name>\w+) must be a whole number from (?P<lo>[\d,]+) to"
            r" (?P<hi>[\d,]+) here"
        ),
        "{f}：{name} 必须是 {lo} 到 {hi} 之间的整数。",
    ),
    (
        r"(?P<f>[\w.]+): (?P<name>\w+) must be text of at most (?P<n>[\d,]+) characters here",
        "{f}：{name} 必须是不超过 {n} 个字符的文本。",
    ),
    (
        r"(?P<f>[\w.]+): (?P<name>\w+) must be one of (?P<ok>.+) here",
        "{f}：{name} 必须是 {ok} 之一。",
    ),
    (r"(?P<f>[\w.]+): (?P<name>\w+) must be a number here", "{f}：{name} 必须是一个数。"),
    (
        r"(?P<f>[\w.]+): the option '(?P<name>[^']+)' is not available here",
        "{f}：选项 '{name}' 在这里不可用。",
    ),
    (r"(?P<f>[\w.]+): (?P<why>.+) here", "{f}：这里不支持这样设置。"),
    # --- parsing ---------------------------------------------------------------------------------
    (r"program is nested too deeply to parse", "程序嵌套得太深，无法解析。"),
    (r"expression nested more than (?P<n>\d+) levels deep", "表达式嵌套超过了 {n} 层。"),
    (r"program has more than (?P<n>\d+) syntax nodes", "程序的语法节点超过了 {n} 个。"),
    (
        r"program is (?P<n>\d+) characters(?: long)?; the limit is (?P<cap>\d+)",
        "程序有 {n} 个字符；上限是 {cap} 个。",
    ),
    (r"invalid syntax", "语法错误。"),
    # --- the service -----------------------------------------------------------------------------
    (
        r"request body is over the limit of (?P<n>\d+) bytes",
        "请求体超过了 {n} 字节的上限（程序太长了）。",
    ),
    (
        r"more than (?P<n>[\d.]+) requests per second from this client",
        "这个客户端每秒的请求超过了 {n} 个，请稍后再试。",
    ),
    (
        r"this client already has (?P<n>\d+) requests? running.*",
        "这个客户端已经有 {n} 个请求正在运行，请等它们完成后再试。",
    ),
    (
        r"(?:all )?(?P<n>\d+) (?:requests are already waiting for a worker|workers are busy).*",
        "服务器正忙，请稍后再试。",
    ),
    (
        r"the program's worker process died \(usually: it ran out of memory\)",
        "运行程序的进程退出了（通常是内存不够）。",
    ),
    (
        r"the program ran, but its graph could not be drawn: .*",
        "程序运行完了，但它的计算图无法绘制。",
    ),
)

_COMPILED = tuple((re.compile(pattern, re.DOTALL), text) for pattern, text in _PATTERNS)

# How a message names a thing (``describe`` in app/language/attributes.py, ``name or 'this
# operation'``), in Chinese; the name itself stays as the program wrote it.
_THINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"module '(?P<name>[^']+)'"), "模块 '{name}'"),
    (re.compile(r"class '(?P<name>[^']+)'"), "类 '{name}'"),
    (re.compile(r"'(?P<name>[^']+)' objects"), "'{name}' 对象"),
    (re.compile(r"this operation"), "这个运算"),
    (re.compile(r"this call"), "这个调用"),
)


def _thing(text: str) -> str:
    for pattern, template in _THINGS:
        found = pattern.fullmatch(text)
        if found:
            return template.format_map(found.groupdict())
    return text


def chinese(kind: str, message: str) -> str | None:
    """The Chinese text of the service's message ``message`` of type ``kind``; None when the
    message is the program's own exception (Python's or PyTorch's words)."""
    if kind not in SERVICE_KINDS:
        return None
    for pattern, text in _COMPILED:
        found = pattern.fullmatch(message)
        if found:
            return text.format_map({k: _thing(v or "") for k, v in found.groupdict().items()})
    return _BY_KIND[kind]
