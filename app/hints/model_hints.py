"""Hints, in English and Chinese, for mistakes in building and calling models: a module's
``__init__``, the optimizer's parameters, layers given the wrong kind of input, a name that
now holds a tensor. Tried after ``pytorch.py``'s rules (first match wins), written against
the messages PyTorch 2.13 raises (tests/unit/test_hints.py runs each faulty program)."""

from __future__ import annotations

from app.hints.hint import Rule, rule

MODEL_RULES: tuple[Rule, ...] = (
    rule(
        "module_init_not_called",
        AttributeError,
        r"cannot assign (module|parameters?|buffer) before Module\.__init__\(\) call"
        r"|object has no attribute '_(backward_hooks|forward_hooks|forward_pre_hooks"
        r"|backward_pre_hooks|parameters|buffers|modules)'",
        "An `nn.Module` subclass must call `super().__init__()` as the first line of its"
        " `__init__`, before it assigns any layer, parameter or tensor to `self`.",
        "继承 `nn.Module` 的类必须在 `__init__` 的第一行调用 `super().__init__()`，"
        "然后才能把层、参数或张量赋给 `self`。",
    ),
    rule(
        "optimizer_params",
        (TypeError, ValueError),
        r"'method' object is not iterable"
        r"|params argument given to the optimizer should be an iterable"
        r"|optimizer got an empty parameter list",
        "An optimizer takes an iterable of tensors: call the method, `model.parameters()` (with"
        " the parentheses), or give a list, `torch.optim.SGD([w, b], lr=0.1)`, of tensors"
        " created with `requires_grad=True`.",
        "优化器需要一组张量：要调用方法 `model.parameters()`（别忘了括号），或者传入一个列表，"
        "例如 `torch.optim.SGD([w, b], lr=0.1)`，其中的张量要用 `requires_grad=True` 创建。",
    ),
    rule(
        "conv_channels",
        RuntimeError,
        r"expected input\[.*\] to have \d+ channels, but got \d+ channels",
        "A convolution's `in_channels` must equal the input's channel count, its dimension 1 in"
        " (batch, channels, height, width): a grey image has 1 channel, a colour one 3. Print"
        " `X.shape` before the layer and fix either the layer or the input.",
        "卷积层的 `in_channels` 必须等于输入的通道数，也就是形状 (批量, 通道, 高, 宽) 里的第 1 维："
        "灰度图有 1 个通道，彩色图有 3 个。在这一层之前打印 `X.shape`，改层或者改输入。",
    ),
    rule(
        "conv_input_dims",
        RuntimeError,
        r"Expected \dD \(unbatched\) or \dD \(batched\) input to (conv|max_pool|avg_pool)"
        r"|non-empty \dD or \dD \(batch mode\) tensor expected for input",
        "This layer wants (batch, channels, height, width) for 2-D layers, one more or fewer"
        " dimension for 3-D or 1-D ones. Add the missing dimensions, e.g."
        " `X.reshape(1, 1, 28, 28)` or `X.unsqueeze(0)`.",
        "这一层需要形状为 (批量, 通道, 高, 宽) 的输入（3 维、1 维的层相应多一维或少一维）。"
        "补上缺的维度，例如 `X.reshape(1, 1, 28, 28)` 或 `X.unsqueeze(0)`。",
    ),
    rule(
        "pool_output_too_small",
        RuntimeError,
        r"Output size is too small",
        "The input is already smaller than this layer's kernel: each convolution and pooling"
        " shrinks it. Print the shape after every layer (`for layer in net: X = layer(X);"
        " print(layer.__class__.__name__, X.shape)`) and use a bigger input or less shrinking.",
        "输入已经比这一层的核还小了：每个卷积层和池化层都会让它变小。逐层打印形状"
        "（`for layer in net: X = layer(X); print(layer.__class__.__name__, X.shape)`），"
        "然后用更大的输入，或者减少缩小的层。",
    ),
    rule(
        "embedding_index",
        (IndexError, RuntimeError),
        r"^index out of range in self$"
        r"|Expected tensor for argument #1 'indices' to have one of the following scalar types",
        "An index is out of range or not an integer. `nn.Embedding(num_embeddings, dim)` (and"
        " `index_select`) take integer indices from 0 to `num_embeddings - 1`: make the table as"
        " big as the vocabulary (largest index + 1) and pass a `torch.long` tensor"
        " (`idx.long()`).",
        "下标越界或者不是整数。`nn.Embedding(num_embeddings, dim)`（以及 `index_select`）"
        "的输入是 0 到 `num_embeddings - 1` 之间的整数下标："
        "表的大小要等于词表大小（最大下标 + 1），并传入 `torch.long` 类型的张量（`idx.long()`）。",
    ),
    rule(
        "index_out_of_bounds",
        IndexError,
        r"index -?\d+ is out of bounds for dimension \d+ with size \d+",
        "Indices start at 0, so a dimension of size n has indices 0 to n - 1 (and -1 for the"
        " last). Print the tensor's `.shape` to see its sizes.",
        "下标从 0 开始，长度为 n 的维度下标是 0 到 n - 1（最后一个也可以写 -1）。"
        "打印张量的 `.shape` 看看各维的大小。",
    ),
    rule(
        "cat_needs_sequence",
        TypeError,
        r"(cat|stack|concat|hstack|vstack)\(\): argument 'tensors' \(position 1\) must be tuple"
        r" of Tensors, not Tensor",
        "`torch.cat` and `torch.stack` take one list (or tuple) of tensors: write"
        " `torch.cat([a, b], dim=0)`, not `torch.cat(a, b)`.",
        "`torch.cat` 和 `torch.stack` 接受一个由张量组成的列表（或元组）：写成"
        " `torch.cat([a, b], dim=0)`，而不是 `torch.cat(a, b)`。",
    ),
    rule(
        "tensor_not_callable",
        TypeError,
        r"'Tensor' object is not callable",
        "A tensor was called like a function. Often a name that held a function or a layer was"
        " reused for its result (`loss = loss(y_hat, y)` replaces the loss function with a"
        " tensor, and the next iteration fails): give the result another name, `l = loss(y_hat,"
        " y)`. To index a tensor use square brackets: `x[3]`.",
        "这里把张量当成函数来调用了。常见原因是把存放函数或层的名字重新赋值成了它的结果"
        "（`loss = loss(y_hat, y)` 会把损失函数换成一个张量，下一轮循环就出错）：给结果换个名字，"
        "`l = loss(y_hat, y)`。取张量的元素要用方括号：`x[3]`。",
    ),
    rule(
        "batchnorm_single_sample",
        ValueError,
        r"Expected more than 1 value per channel when training",
        "Batch normalisation in training mode needs more than one value per channel to compute"
        " a mean and variance, but this batch has one sample. Use a batch of at least 2, or"
        " switch to the running statistics with `net.eval()` to predict on a single sample.",
        "批量归一化在训练模式下，每个通道需要不止一个值才能计算均值和方差，而这个批量只有一个样本。"
        "请使用至少 2 个样本的批量；如果只是对单个样本做预测，先调用 `net.eval()` 改用滑动平均的统计量。",
    ),
    rule(
        "softmax_implicit_dim",
        UserWarning,
        r"Implicit dimension choice for (log_)?softmax has been deprecated",
        "Say which dimension softmax normalises: `F.softmax(logits, dim=1)` makes each row of"
        " a batch (one sample's class scores) sum to 1. Without `dim`, PyTorch guesses from"
        " the number of dimensions, which is easy to get wrong.",
        "请指明 softmax 沿哪个维度归一化：`F.softmax(logits, dim=1)` 让批量中的每一行"
        "（一个样本的各类得分）之和为 1。不写 `dim` 时 PyTorch 会根据维数去猜，很容易猜错。",
    ),
    rule(
        "not_a_tensor",
        TypeError,
        r"argument '\w+' \(position \d+\) must be Tensor, not (list|tuple|array|ndarray|float|int)\b",
        "This function takes a tensor, not a Python list, tuple, number or NumPy array. Make"
        " one first: `torch.tensor(data, dtype=torch.float32)`, or `torch.from_numpy(a).float()`"
        " for an array.",
        "这个函数需要张量，而不是 Python 的列表、元组、数字或 NumPy 数组。先转换："
        "`torch.tensor(data, dtype=torch.float32)`；NumPy 数组用 `torch.from_numpy(a).float()`。",
    ),
    rule(
        "parameters_generator",
        TypeError,
        r"'generator' object is not subscriptable",
        "`model.parameters()` (like `named_parameters()`) is a generator: it can be looped over,"
        " not indexed. Use `list(model.parameters())[0]`, or reach the tensor by name:"
        " `model[0].weight`.",
        "`model.parameters()`（以及 `named_parameters()`）是生成器：只能遍历，不能用下标取。"
        "写成 `list(model.parameters())[0]`，或者按名字取：`model[0].weight`。",
    ),
    rule(
        "sequential_list",
        TypeError,
        r"(list|tuple) is not a Module subclass",
        "`nn.Sequential` takes the layers as separate arguments, not one list: write"
        " `nn.Sequential(*layers)` (or use `nn.ModuleList(layers)` and call them in a loop).",
        "`nn.Sequential` 的参数是一个个的层，而不是一个列表：写成 `nn.Sequential(*layers)`"
        "（或者用 `nn.ModuleList(layers)`，在循环里逐个调用）。",
    ),
    rule(
        "tuple_not_tensor",
        AttributeError,
        r"'tuple' object has no attribute '(item|zero_|data|shape|size|backward|numpy|grad|sum"
        r"|mean|detach|tolist)'",
        "This is a tuple, not a tensor: `torch.autograd.grad` returns one gradient per input"
        " (`g = torch.autograd.grad(y, x)[0]`), `torch.max(x, dim=1)` returns values and"
        " indices, and an RNN returns its output and its state. Take the element you need.",
        "这是一个元组，不是张量：`torch.autograd.grad` 对每个输入返回一个梯度"
        "（`g = torch.autograd.grad(y, x)[0]`），`torch.max(x, dim=1)` 返回最大值和下标，"
        "RNN 返回输出和隐状态。取出需要的那个元素。",
    ),
    rule(
        "state_dict_mismatch",
        RuntimeError,
        r"Error\(s\) in loading state_dict",
        "The state dict does not fit the model: its keys and shapes must be the model's own."
        " Compare `{k: v.shape for k, v in net.state_dict().items()}` with the dict you load,"
        " and build the model with the same layers and sizes (or pass `strict=False` to skip"
        " missing keys).",
        "这个 state_dict 和模型对不上：它的键和形状必须与模型自己的一致。比较"
        " `{k: v.shape for k, v in net.state_dict().items()}` 和要加载的字典，"
        "用相同的层和大小构建模型（或者传入 `strict=False` 跳过缺失的键）。",
    ),
    rule(
        "index_dtype",
        IndexError,
        r"tensors used as indices must be long, int, byte or bool tensors",
        "Indices must be integers (or a boolean mask): convert with `idx.long()`.",
        "下标必须是整数（或者布尔掩码）：用 `idx.long()` 转换。",
    ),
)
