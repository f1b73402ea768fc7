"""Plain-language hints, in English and Chinese, for the mistakes students make with autograd.

Each rule pairs exception types with a regex over `str(exc)`, written against the messages that
PyTorch 2.13 actually raises (tests/unit/test_hints.py runs every faulty program to prove it).
Rules are tried in order and the first match wins, so a more specific pattern must come before
a more general one that would also match it.
"""

from __future__ import annotations

from app.hints.hint import Hint, Rule, rule
from app.hints.model_hints import MODEL_RULES

_rule = rule

_RULES: tuple[Rule, ...] = (
    # --- backward() itself -------------------------------------------------------------------
    _rule(
        "nonscalar_backward",
        RuntimeError,
        r"grad can be implicitly created only for scalar outputs",
        "`backward()` with no argument only works on a scalar (one-element) tensor, but this one"
        " has several elements. Reduce it first, e.g. `y.sum().backward()`, or pass a gradient of"
        " the same shape: `y.backward(torch.ones_like(y))`.",
        "不带参数的 `backward()` 只能用于标量（只有一个元素的张量），而这个张量有多个元素。"
        "先归约成标量，例如 `y.sum().backward()`，或者传入形状相同的梯度："
        "`y.backward(torch.ones_like(y))`。",
    ),
    _rule(
        "backward_twice",
        RuntimeError,
        r"Trying to backward through the graph a second time",
        "This graph has already been through a backward pass, which freed the intermediate values"
        " it saved. Redo the forward computation before each `backward()`, or keep the graph for a"
        " second pass with `y.backward(retain_graph=True)` the first time.",
        "这张计算图已经做过一次反向传播，图中保存的中间结果已被释放。每次调用 `backward()` 之前"
        "重新做一遍前向计算；如果确实要对同一张图反向传播两次，第一次调用时写"
        " `y.backward(retain_graph=True)`。",
    ),
    _rule(
        "no_grad_backward",
        RuntimeError,
        r"element \d+ of tensors does not require grad and does not have a grad_fn",
        "This tensor is not connected to anything that requires grad, so there is no graph to go"
        " back through. Create the inputs with `requires_grad=True`, e.g."
        " `x = torch.tensor(2.0, requires_grad=True)`, and don't compute the result inside"
        " `torch.no_grad()` or from `.detach()`ed values.",
        "这个张量不依赖任何需要梯度的张量，没有计算图可以反向传播。创建输入时加上"
        " `requires_grad=True`，例如 `x = torch.tensor(2.0, requires_grad=True)`；"
        "也不要在 `torch.no_grad()` 里、或用 `.detach()` 之后的值来计算结果。",
    ),
    _rule(
        "backward_gradient_shape",
        RuntimeError,
        r"Mismatch in shape: grad_output\[\d+\] has a shape of",
        "The gradient passed to `backward()` must have the same shape as the tensor itself:"
        " `y.backward(torch.ones_like(y))`.",
        "传给 `backward()` 的梯度必须与张量本身形状相同：`y.backward(torch.ones_like(y))`。",
    ),
    _rule(
        "grad_unused_input",
        RuntimeError,
        r"appears to not have been used in the graph",
        "`torch.autograd.grad` was asked for the gradient with respect to a tensor the output does"
        " not depend on. Check that the output is really computed from it, or pass"
        " `allow_unused=True` to get `None` for that input.",
        "你让 `torch.autograd.grad` 对一个输出并不依赖的张量求梯度。检查输出是否确实由它计算"
        "得到；如果本来就可能用不到，传入 `allow_unused=True`，它的梯度会返回 `None`。",
    ),
    # --- in-place operations -----------------------------------------------------------------
    _rule(
        "inplace_modified",
        RuntimeError,
        r"one of the variables needed for gradient computation has been modified by an inplace",
        "A tensor that autograd saved for the backward pass was changed afterwards by an in-place"
        " operation (a method ending in `_`, `+=`, or `x[i] = ...`). Use the out-of-place form,"
        " e.g. `y = y * 2` instead of `y *= 2` or `y.mul_(2)`.",
        "反向传播要用到的某个张量在被保存之后，又被原地操作（以 `_` 结尾的方法、`+=`、"
        "`x[i] = ...` 等）改掉了。改用非原地写法，例如用 `y = y * 2` 代替 `y *= 2` 或"
        " `y.mul_(2)`。",
    ),
    _rule(
        "leaf_view_inplace",
        RuntimeError,
        r"a view of a leaf Variable that requires grad is being used in an in-place operation",
        "You changed part of a leaf tensor that requires grad (e.g. `x[0] = 5`, or an in-place op"
        " on `x.view(...)`), which counts as an in-place operation on the leaf. Set the values"
        " before turning on gradients (`x[0] = 5` then `x.requires_grad_()`), or do it inside"
        " `with torch.no_grad():`.",
        "你修改了需要梯度的叶子张量的一部分（例如 `x[0] = 5`，或对 `x.view(...)` 做原地操作），"
        "这相当于对叶子张量做原地操作。先改好数值再开启梯度（先 `x[0] = 5`，再"
        " `x.requires_grad_()`），或者把修改放进 `with torch.no_grad():` 里。",
    ),
    _rule(
        # Anchored: "a view of a leaf Variable ..." above also contains this text.
        "leaf_inplace",
        RuntimeError,
        r"^a leaf Variable that requires grad is being used in an in-place operation",
        "A leaf tensor that requires grad can't be changed in place (`x += 1`, `x.add_(1)`,"
        " `relu(x, inplace=True)`). To update a parameter, do it inside `with torch.no_grad():`;"
        " otherwise write `x = x + 1` to make a new tensor.",
        "需要梯度的叶子张量不能被原地修改（`x += 1`、`x.add_(1)`、`relu(x, inplace=True)` 等）。"
        "如果是在更新参数，请放在 `with torch.no_grad():` 里；否则写成 `x = x + 1`，"
        "生成一个新张量。",
    ),
    # --- which tensors can take part in autograd ---------------------------------------------
    _rule(
        # Three wordings: factories say "Only ... and complex", `.requires_grad_()` says
        # "only ... floating point dtype", `x.requires_grad = True` says "only ... and complex".
        "int_requires_grad",
        RuntimeError,
        r"(?i)only Tensors of floating point (and complex )?dtype can require gradients",
        "Only floating-point tensors can require gradients, and this one holds integers. Create it"
        " with floats, e.g. `torch.tensor(1.0, requires_grad=True)` or"
        " `torch.arange(3, dtype=torch.float32, requires_grad=True)`, or convert first:"
        " `x = x.float().requires_grad_()`.",
        "只有浮点类型的张量才能求梯度，而这个张量是整数类型。创建时改用浮点数，例如"
        " `torch.tensor(1.0, requires_grad=True)` 或"
        " `torch.arange(3, dtype=torch.float32, requires_grad=True)`；也可以先转换："
        "`x = x.float().requires_grad_()`。",
    ),
    _rule(
        "requires_grad_nonleaf",
        RuntimeError,
        r"you can only change requires_grad flags of leaf variables",
        "`requires_grad` can only be switched for leaf tensors, and this one was computed by an"
        " operation. To use its value without gradients, take `y = y.detach()`.",
        "只有叶子张量才能修改 `requires_grad`，而这个张量是运算得到的。如果只想用它的值、"
        "不需要梯度，写 `y = y.detach()`。",
    ),
    _rule(
        "optim_nonleaf",
        ValueError,
        r"can't optimize a non-leaf Tensor",
        "Optimizers only update leaf tensors, but this one was computed from another tensor (e.g."
        " `torch.randn(3, requires_grad=True) * 0.01`). Create it as a leaf:"
        " `w = (torch.randn(3) * 0.01).requires_grad_()`, or use `nn.Parameter`.",
        "优化器只能更新叶子张量，而这个张量是由别的张量计算出来的（例如"
        " `torch.randn(3, requires_grad=True) * 0.01`）。把它创建成叶子张量："
        "`w = (torch.randn(3) * 0.01).requires_grad_()`，或者使用 `nn.Parameter`。",
    ),
    _rule(
        # `.grad` is None before backward() and, for non-leaves, always (PyTorch only warns).
        "grad_is_none",
        (TypeError, AttributeError, UserWarning),
        r"unsupported operand type\(s\) for .*'NoneType'|must be Tensor, not NoneType"
        r"|'NoneType' object has no attribute '(zero_|data|item|tolist|clone|detach|norm|abs)'"
        r"|The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed",
        "A value here is `None`; in autograd code that is usually `.grad`. It stays `None` until"
        " `backward()` has run, and for a non-leaf tensor (like `y = x * 2`) it is never filled"
        " unless you call `y.retain_grad()` before `backward()`.",
        "这里有个值是 `None`，在自动求导的代码里通常是 `.grad`。调用 `backward()` 之前"
        " `.grad` 一直是 `None`；而非叶子张量（如 `y = x * 2`）的 `.grad` 不会被填充，"
        "除非在 `backward()` 之前调用 `y.retain_grad()`。",
    ),
    # --- shapes ------------------------------------------------------------------------------
    _rule(
        # 2-D @ 2-D, @ and nn.Linear; 2-D @ 1-D (mv); 1-D @ 1-D and torch.dot; 3-D (bmm).
        "shape_mismatch",
        RuntimeError,
        r"mat1 and mat2 shapes cannot be multiplied|size mismatch, got input"
        r"|inconsistent tensor size, expected tensor \[\d+\] and src"
        r"|Expected size for first two dimensions of batch2 tensor",
        "The shapes don't fit for matrix multiplication: in `A @ B` the number of columns of `A`"
        " must equal the number of rows of `B` (for `torch.dot`, the lengths must be equal)."
        " Print `A.shape` and `B.shape`; the fix is often a transpose (`A @ B.T`) or an"
        " `nn.Linear` whose `in_features` equals `x.shape[-1]`.",
        "矩阵乘法的形状对不上：`A @ B` 要求 `A` 的列数等于 `B` 的行数（`torch.dot` 要求两个"
        "向量长度相同）。打印 `A.shape` 和 `B.shape` 看看；通常需要转置（`A @ B.T`），"
        "或者让 `nn.Linear` 的 `in_features` 等于 `x.shape[-1]`。",
    ),
    _rule(
        "shape_mismatch",
        RuntimeError,
        r"The size of tensor a \(\d+\) must match the size of tensor b \(\d+\)",
        "These tensors can't be combined element by element: comparing shapes from the last"
        " dimension, each pair of sizes must be equal or one of them must be 1 (broadcasting)."
        " Print both `.shape`s and adjust one, e.g. `b.unsqueeze(1)` turns shape `(3,)` into"
        " `(3, 1)`.",
        "这两个张量无法逐元素运算：按照广播规则，从最后一维开始对齐，每一维的大小要么相等，"
        "要么其中一个是 1。打印两者的 `.shape` 再调整，例如 `b.unsqueeze(1)` 会把形状 `(3,)`"
        " 变成 `(3, 1)`。",
    ),
    _rule(
        "reshape_invalid",
        RuntimeError,
        r"shape '\[.*\]' is invalid for input of size \d+",
        "The new shape must hold exactly as many elements as the tensor has. Check the product of"
        " the sizes, or let PyTorch work out one dimension with `-1`: `x.view(-1, 4)`.",
        "新形状的元素总数必须与原张量相同。检查各维大小的乘积，或者用 `-1` 让 PyTorch "
        "自动推算其中一维：`x.view(-1, 4)`。",
    ),
    _rule(
        "view_noncontiguous",
        RuntimeError,
        r"view size is not compatible with input tensor's size and stride",
        "`.view()` needs the data to be contiguous in memory, which stops being true after e.g."
        " `.t()` or `.permute()`. Use `x.reshape(...)` instead, or `x.contiguous().view(...)`.",
        "`.view()` 要求数据在内存中连续存放，而 `.t()`、`.permute()` 等操作之后就不连续了。"
        "改用 `x.reshape(...)`，或者 `x.contiguous().view(...)`。",
    ),
    _rule(
        "concat_shape_mismatch",
        RuntimeError,
        r"Sizes of tensors must match except in dimension|stack expects each tensor to be equal",
        "`torch.cat` needs the tensors to have equal sizes in every dimension except the one you"
        " join along, and `torch.stack` needs identical shapes. Print each `.shape` and check the"
        " `dim=` argument.",
        "`torch.cat` 要求除拼接的那一维以外，其余各维大小都相同；`torch.stack` 要求形状完全"
        "一致。打印每个张量的 `.shape`，并检查 `dim=` 参数。",
    ),
    # --- dtypes ------------------------------------------------------------------------------
    _rule(
        "dtype_mismatch",
        RuntimeError,
        r"expected m1 and m2 to have the same dtype|mat1 and mat2 must have the same dtype"
        r"|self and mat2 must have the same dtype|expected both vectors to have same dtype"
        r"|addmv input tensors must have the same dtype|expected scalar type \w+ but found \w+"
        r"|Found dtype \w+ but expected \w+|Input type \(.+\) and (bias|weight) type"
        r"|result type \w+ can't be cast to the desired output type \w+",
        "Two tensors in this operation have different dtypes (e.g. Float and Long), and PyTorch"
        " won't mix them here. Convert one so they match, usually to float: `x.float()`, or for a"
        " loss, `loss_fn(pred, target.float())`.",
        "这个运算里的张量数据类型（dtype）不一致（例如 Float 和 Long），PyTorch 在这里不会自动"
        "转换。把它们转成同一类型，一般转成浮点：`x.float()`；如果是损失函数，写成"
        " `loss_fn(pred, target.float())`。",
    ),
    _rule(
        "int_tensor_op",
        RuntimeError,
        r"not implemented for '(Long|Int|Short|Char|Byte|Bool)'"
        r"|Input dtype must be either a floating point or complex dtype"
        r"|only support floating point and complex dtypes"
        r"|Expected a floating point or complex tensor as input",
        "This operation needs a floating-point tensor, but this one holds integers"
        " (`torch.tensor([1, 2, 3])` is int64). Convert with `x.float()`, or write the values as"
        " floats: `torch.tensor([1., 2., 3.])`.",
        "这个运算需要浮点张量，但这里的张量是整数类型（`torch.tensor([1, 2, 3])` 是 int64）。"
        "用 `x.float()` 转换，或者直接写成浮点数：`torch.tensor([1., 2., 3.])`。",
    ),
    # --- losses ------------------------------------------------------------------------------
    _rule(
        "ce_target_dtype",
        RuntimeError,
        r"expected target dtype to be Long or Byte",
        "`CrossEntropyLoss` (and `nll_loss`) wants the target as integer class indices (dtype"
        " long), but got another dtype. Convert it: `loss_fn(logits, target.long())`.",
        "`CrossEntropyLoss`（以及 `nll_loss`）要求目标是整数类别索引（long 类型），但这里是"
        "别的类型。转换一下：`loss_fn(logits, target.long())`。",
    ),
    _rule(
        "ce_target_dtype",
        RuntimeError,
        r"Expected floating point type for target with class probabilities",
        "The target has the same shape as the logits, so `CrossEntropyLoss` reads it as class"
        " probabilities, which must be float. Pass class indices instead,"
        " `loss_fn(logits, target.argmax(dim=1))`, or `target.float()`.",
        "目标与 logits 形状相同，`CrossEntropyLoss` 会把它当作类别概率，这时必须是浮点类型。"
        "改为传入类别索引 `loss_fn(logits, target.argmax(dim=1))`，或者传 `target.float()`。",
    ),
    _rule(
        "ce_target_shape",
        (RuntimeError, ValueError),
        r"0D or 1D target tensor expected, multi-target not supported"
        r"|Expected input batch_size \(\d+\) to match target batch_size",
        "With logits of shape `(N, C)`, `CrossEntropyLoss` wants a target of shape `(N,)`: one"
        " class index per sample, not a column or a one-hot matrix. Flatten it with"
        " `target.view(-1)` (or `target.argmax(dim=1)` for one-hot), and check both have N rows.",
        "logits 的形状为 `(N, C)` 时，`CrossEntropyLoss` 的目标应为形状 `(N,)`：每个样本一个"
        "类别索引，而不是列向量或 one-hot 矩阵。用 `target.view(-1)` 展平（one-hot 用"
        " `target.argmax(dim=1)`），并确认两者的样本数 N 相同。",
    ),
    _rule(
        "class_index_out_of_range",
        IndexError,
        r"Target -?\d+ is out of bounds",
        "A class index in the target is outside `0 .. C-1`, where `C` is the number of columns"
        " of the logits. Make sure the model outputs one score per class (e.g."
        " `nn.Linear(hidden, num_classes)`) and that labels start at 0.",
        "目标里有类别索引超出了 `0 .. C-1`（`C` 是 logits 的列数）。确认模型为每个类别输出"
        "一个分数（如 `nn.Linear(hidden, num_classes)`），并且标签从 0 开始编号。",
    ),
    _rule(
        "bce_input_range",
        RuntimeError,
        r"all elements of input should be between 0 and 1",
        "`BCELoss` needs probabilities between 0 and 1, but some inputs are outside that range."
        " Apply `torch.sigmoid(...)` to the model output first, or better, use"
        " `nn.BCEWithLogitsLoss()` on the raw output.",
        "`BCELoss` 的输入必须是 0 到 1 之间的概率，但有些值超出了范围。先对模型输出做"
        " `torch.sigmoid(...)`，或者更好的做法是直接对原始输出使用 `nn.BCEWithLogitsLoss()`。",
    ),
    _rule(
        "bce_target_range",
        RuntimeError,
        r"all elements of target should be between 0 and 1",
        "`BCELoss` targets must lie between 0 and 1 (usually labels 0 and 1). Check the labels;"
        " e.g. map {-1, 1} to {0, 1} with `(y + 1) / 2`.",
        "`BCELoss` 的目标必须在 0 到 1 之间（通常是 0/1 标签）。检查一下标签，例如用"
        " `(y + 1) / 2` 把 {-1, 1} 转成 {0, 1}。",
    ),
    _rule(
        # BCE losses raise; MSE/L1 only warn, which matters when warnings are errors.
        "loss_shape_mismatch",
        (ValueError, UserWarning),
        r"Using a target size \(.*\) that is different to the input size"
        r"|Target size \(.*\) must be the same as input size",
        "The prediction and the target have different shapes, e.g. `(N, 1)` and `(N,)`, so"
        " broadcasting would pair every prediction with every target. Make them match:"
        " `loss_fn(pred.squeeze(1), target)` or `loss_fn(pred, target.view(-1, 1))`.",
        "预测值和目标的形状不同，例如 `(N, 1)` 和 `(N,)`，广播之后每个预测会与每个目标配对，"
        "结果是错的。把形状对齐：`loss_fn(pred.squeeze(1), target)` 或"
        " `loss_fn(pred, target.view(-1, 1))`。",
    ),
    _rule(
        "anomaly_nan",
        RuntimeError,
        r"Function '\w+' returned nan values in its \d+(st|nd|rd|th) output",
        "Anomaly detection (`torch.autograd.detect_anomaly()` / `set_detect_anomaly(True)`) found"
        " a NaN in the backward pass: the function named in the message made it from the"
        " gradient it got. Look at that op's inputs in the forward pass, e.g. `sqrt` or `log` of"
        " a value at or below 0, or a division by 0; add a small `eps` or clamp the input.",
        "异常检测（`torch.autograd.detect_anomaly()` / `set_detect_anomaly(True)`）在反向传播中"
        "发现了 NaN：消息里点名的那个函数根据传给它的梯度算出了 NaN。检查这个运算在前向传播中的"
        "输入，例如对小于等于 0 的值做 `sqrt` 或 `log`，或者除以 0；可以加一个很小的 `eps`"
        "，或者用 clamp 限制输入。",
    ),
    # --- devices -----------------------------------------------------------------------------
    _rule(
        "no_gpu",
        (AssertionError, RuntimeError),
        # ``x.cuda(0)`` asks for a device by number: torch says "accelerator", not CUDA.
        r"Torch not compiled with CUDA enabled|Found no NVIDIA driver|no CUDA GPUs are available"
        r"|Cannot access accelerator device when none is available"
        r"|PyTorch is not linked with support for mps devices"
        r"|Cannot initialize CUDA without ATen_cuda library",
        "This machine has no GPU, so `.cuda()`, `.cuda(0)`, `.to('cuda')`, `.to('mps')` and"
        " `device='cuda'` fail, as they would in plain PyTorch on any computer without one. Use"
        " `.cpu()`, or pick the device the portable way:"
        " `device = 'cuda' if torch.cuda.is_available() else 'cpu'`.",
        "这台机器没有 GPU，所以 `.cuda()`、`.cuda(0)`、`.to('cuda')`、`.to('mps')` 和"
        " `device='cuda'` 都会出错，"
        "在任何没有 GPU 的电脑上用原版 PyTorch 也是一样。请使用 `.cpu()`，或者用通用的写法选择设备："
        "`device = 'cuda' if torch.cuda.is_available() else 'cpu'`。",
    ),
    # --- getting values out ------------------------------------------------------------------
    _rule(
        "item_multi_element",
        (RuntimeError, ValueError),
        r"a Tensor with \d+ elements cannot be converted to Scalar"
        r"|only one element tensors can be converted to Python scalars",
        "`.item()`, `float()` and `int()` only work on a tensor with exactly one element. Reduce"
        " it first, e.g. `x.sum().item()`, or use `x.tolist()` to get all the values. To make"
        " one tensor of a list of tensors, use `torch.stack(xs)`, not `torch.tensor(xs)`.",
        "`.item()`、`float()`、`int()` 只能用于恰好有一个元素的张量。先归约，例如"
        " `x.sum().item()`，或者用 `x.tolist()` 取出全部数值。要把一组张量合成一个张量，"
        "用 `torch.stack(xs)`，而不是 `torch.tensor(xs)`。",
    ),
    _rule(
        "bool_ambiguous",
        RuntimeError,
        r"Boolean value of Tensor with more than one value is ambiguous",
        "`if`, `while`, `and` and `or` need a single True/False, but this tensor has several"
        " elements. Say which you mean: `(x > 0).all()` or `(x > 0).any()`.",
        "`if`、`while`、`and`、`or` 需要单个真假值，但这个张量有多个元素。写清楚你的意思："
        "`(x > 0).all()`（全部满足）或 `(x > 0).any()`（任一满足）。",
    ),
    _rule(
        # Python's own limit (4,300 digits), and this sandbox's lower one while a program runs.
        "integer_text_too_long",
        ValueError,
        r"Exceeds the limit \(\d+ digits\) for integer string conversion",
        "This text has too many digits to become an `int` (here at most 1,234 digits: integers"
        " are limited to 4,096 bits, and `sys.set_int_max_str_digits()` is not available). For"
        " a large number use a float, `float(s)`, or keep it as text.",
        "这段文本的数字位数太多，不能转换成 `int`（这里最多 1234 位：整数最多 4096 个二进制位，"
        "而且不能调用 `sys.set_int_max_str_digits()`）。大数请用浮点数 `float(s)`，或者保留为文本。",
    ),
    _rule(
        "numpy_requires_grad",
        RuntimeError,
        r"Can't call numpy\(\) on Tensor that requires grad",
        "`.numpy()` refuses tensors that require grad, because NumPy can't track gradients."
        " Detach first: `x.detach().numpy()`.",
        "需要梯度的张量不能直接调用 `.numpy()`，因为 NumPy 无法记录梯度。先分离出来："
        "`x.detach().numpy()`。",
    ),
    _rule(
        # Without NumPy, torch raises this before it checks requires_grad, for every tensor.
        "numpy_unavailable",
        RuntimeError,
        r"Numpy is not available|compiled without NumPy support",
        "NumPy isn't installed here, so `.numpy()` can't work (with NumPy, a tensor that requires"
        " grad would also need `.detach()` first). To see the values, use `x.tolist()`, or"
        " `x.item()` for a single element.",
        "这里没有安装 NumPy，所以 `.numpy()` 无法使用（即使装了 NumPy，需要梯度的张量也要先"
        " `.detach()`）。想查看数值，请用 `x.tolist()`；单个元素用 `x.item()`。",
    ),
    *MODEL_RULES,
)


def hint_for(exc: BaseException, message: str | None = None) -> Hint | None:
    """Return the plain-language hint for a mistake students often make, or None.

    ``message`` is the exception's text when the caller has it already (made without running
    a program object's ``__str__``, which must not run after the program has ended).
    """
    if message is None:
        message = str(exc)
    for each in _RULES:
        if isinstance(exc, each.types) and each.pattern.search(message):
            return each.hint
    return None
