// Every string of the UI, in English and Chinese. The language is the one last chosen
// (localStorage), else the browser's; ?lang=en|zh overrides both (embeds use it).
// In templates: data-i18n (text), data-i18n-aria (aria-label, and title when present),
// data-i18n-title.

const STORAGE_KEY = "autograd-viz.lang";
export const LANGUAGES = { en: "English", zh: "中文" };

const STRINGS = {
  en: {
    "app.tagline": "See the graph PyTorch builds, and watch the gradient flow back through it.",
    "app.skip": "Skip to the graph",
    "toolbar.examples": "Example",
    "toolbar.custom": "Your program",
    "toolbar.run": "Run",
    "toolbar.run_hint": "Run (Ctrl+Enter)",
    "toolbar.share": "Share",
    "toolbar.export": "Export",
    "toolbar.language": "Language",
    "toolbar.api": "API",
    "panel.program": "Program",
    "panel.output": "Output",
    "panel.graph": "Graph",
    "output.empty": "Nothing printed yet.",
    "output.truncated": "… output truncated",
    "output.notes": "Notes on this run",
    "page.what_runs_here": "What runs here",
    "editor.keys": "Tab indents; press Escape, then Tab, to leave the editor. Ctrl+Enter (Cmd+Enter) runs the program.",
    "view.switch": "View",
    "view.autograd": "Autograd",
    "view.computation": "Computation",
    "view.autograd_title": "Function nodes as PyTorch links them (grad_fn.next_functions)",
    "view.computation_title": "Tensors and operations, as textbooks draw y = wx + b",
    "graph.zoom_in": "Zoom in",
    "graph.zoom_out": "Zoom out",
    "graph.fit": "Fit to screen",
    "graph.legend": "Legend",
    "graph.empty": "Run a program to see its autograd graph.",
    "graph.no_nodes": "This program made no tensors that require grad, so PyTorch recorded no graph. Try requires_grad=True.",
    "graph.render_error": "The graph could not be drawn: {message}",
    "graph.truncated": "The graph is large: it was cut to the limits.",
    "graph.omitted": "Left out: {list}.",
    "graph.omitted.join": ", ",
    "graph.omitted.nodes": "{n} nodes",
    "graph.omitted.edges": "{n} edges",
    "graph.omitted.saved": "{n} saved values",
    "graph.omitted.names": "{n} names",
    "graph.omitted.text_chars": "{n} characters of long names",
    "graph.omitted.values": "{n} tensor values",
    "graph.help": "Drag to pan, scroll or pinch to zoom. Arrow keys pan, + and − zoom, 0 fits. Tab moves between nodes; Enter inspects one.",
    "graph.help_embed": "Drag to pan; Ctrl+scroll or pinch to zoom.",
    "graph.svg_label_autograd": "Autograd graph",
    "graph.svg_label_computation": "Computation graph",
    "graph.scalar": "scalar",
    "graph.tensor_label": "{name}: {role} tensor, {shape}",
    "graph.function_label": "function node {op} ({symbol})",
    "status.running": "Running…",
    "status.ran": "Ran in {ms} ms · {nodes} nodes",
    "status.edited": "Edited: press Run (Ctrl+Enter) to update the graph",
    "status.failed": "Did not run",
    "status.stale": "The graph below is from the last program that ran.",
    "error.line": "line {line}",
    "error.line_col": "line {line}, column {col}",
    "error.hint": "Hint",
    "error.timed_out": "The program ran too long and was stopped.",
    "error.examples": "Could not load the examples: {message}",
    "share.title": "Share this graph",
    "share.intro": "The link holds the whole program (compressed in the part after #), so it reproduces this graph anywhere. Nothing is stored on the server.",
    "share.link": "Link",
    "share.copy": "Copy",
    "share.copy_link": "Copy link",
    "share.copied": "Copied",
    "share.link_copied": "Link copied to the clipboard",
    "share.copy_failed": "Selected: press Ctrl+C to copy",
    "share.iframe": "Embed in a course page",
    "share.iframe_note": "Paste this iframe into any HTML page.",
    "share.script": "Or: one script tag, then any number of code blocks",
    "share.script_note": "embed.js turns every <pre data-autograd> block into a live graph and sizes each frame to its content.",
    "share.close": "Close",
    "export.svg": "SVG image",
    "export.png": "PNG image",
    "export.dot": "Graphviz DOT",
    "export.json": "JSON (graph data)",
    "export.failed": "Export failed: {message}",
    "embed.code": "Code",
    "embed.open": "Open in playground",
    "legend.leaf": "Leaf tensor that requires grad",
    "legend.parameter": "Parameter (nn.Parameter)",
    "legend.named": "Named non-leaf tensor",
    "legend.root": "Backward root",
    "legend.function": "Function node (grad_fn)",
    "legend.constant": "Constant or detached (no grad)",
    "legend.no_grad": "Made under torch.no_grad()",
    "legend.edge_data": "Data flow, carries gradient",
    "legend.edge_saved": "Saved for backward, no gradient",
    "legend.edge_detach": ".detach() (dotted)",
    "legend.running": "Running in the backward stepper",
    "role_short.leaf": "leaf",
    "role_short.parameter": "parameter",
    "role_short.named": "non-leaf",
    "role_short.root": "backward root",
    "role_short.constant": "constant",
    "role_short.detached": "detached",
    "role_short.no_grad": "no_grad result",
    "role.leaf": "A leaf that requires grad: made by you, not by an operation. backward() adds its gradient into .grad.",
    "role.parameter": "A module parameter (nn.Parameter): a leaf that requires grad, updated by the optimizer.",
    "role.named": "A tensor computed by an operation (grad_fn is set). PyTorch frees its gradient after use: .grad stays None unless you call retain_grad().",
    "role.root": "The tensor backward() was called on: the gradient starts here (as 1 for a scalar).",
    "role.constant": "A tensor that does not require grad: gradients do not flow into it.",
    "role.detached": "Made by .detach(): same values, but cut from the graph, so no gradient flows back through it.",
    "role.no_grad": "Computed inside torch.no_grad(): PyTorch recorded no grad_fn, so it is a dead end for gradients.",
    "inspector.title": "Inspector",
    "inspector.empty": "Click a node in the graph (or Tab to it and press Enter) to see what PyTorch stores on it.",
    "inspector.name": "name",
    "inspector.kind": "kind",
    "inspector.kind_tensor": "tensor",
    "inspector.kind_function": "function node",
    "inspector.op": "op",
    "inspector.shape": "shape",
    "inspector.dtype": "dtype",
    "inspector.requires_grad": "requires_grad",
    "inspector.is_leaf": "is_leaf",
    "inspector.grad_fn": "grad_fn",
    "inspector.retains_grad": "retains_grad",
    "inspector.version": "_version",
    "inspector.version_note": "(times changed in place)",
    "inspector.line": "source",
    "inspector.line_n": "line {line}",
    "inspector.value": "value",
    "inspector.saved": "Saved for backward",
    "inspector.saved_none": "Nothing saved: this backward needs no input values.",
    "inspector.function_text": "An autograd node: during backward, {op} turns the gradient of its output into gradients of its inputs.",
    "inspector.grad_none_leaf": "None: no backward pass has reached this leaf yet.",
    "inspector.grad_none_nograd": "None: this tensor does not require grad.",
    "inspector.grad_none_nonleaf": "None: PyTorch keeps .grad only on leaves. Call retain_grad() on this tensor to keep it.",
    "inspector.gradients": "Gradients in backward pass {pass}",
    "inspector.grad_from": "from",
    "inspector.grad_to": "to",
    "stepper.title": "Backward pass",
    "stepper.pass": "Backward pass to step through",
    "stepper.pass_option": "Pass {n}: {call}, line {line}",
    "stepper.reset": "Reset",
    "stepper.back": "Step back",
    "stepper.play": "Play",
    "stepper.pause": "Pause",
    "stepper.forward": "Step forward",
    "stepper.slider": "Step",
    "stepper.count": "step {n} / {total}",
    "stepper.none": "This program calls no backward(): add loss.backward() to watch the gradient flow.",
    "stepper.ready": "{call} on line {line} starts at {roots}. Step forward to run the first node.",
    "stepper.runs": "Step {n} of {total}: {op}{line} runs.",
    "stepper.on_line": " (line {line})",
    "stepper.receives": "Gradient in from {list}.",
    "stepper.sends": "Gradient out to {list}.",
    "stepper.sends_nothing": "It sends nothing further.",
    "stepper.accumulate": "Step {n} of {total}: AccumulateGrad adds the gradient into {name}.grad, which is now {grad}.",
    "stepper.grad_before": ".grad (pass {pass})",
    "stepper.raised": "Step {n} of {total}: {op} raised here: {message} ({type}; the pass stopped, nothing after it ran.)",
    "stepper.raised_outside": "Step {n} of {total}: {call} stopped here with {type}: {message}",
    "stepper.pass_raised": " (raised {type})",
    "inspector.saved_version": "Changed in place after it was saved: saved at version {saved}, now at version {now}. A value shown above is the one its backward used.",
    "inspector.saved_error": "PyTorch's error if this backward ran now:",
    // --- never stale, plurals, Chinese complete (issue 14) ---
    "status.ran.one": "Ran in {ms} ms · {nodes} node",
    "graph.omitted.nodes.one": "{n} node",
    "graph.omitted.edges.one": "{n} edge",
    "graph.omitted.saved.one": "{n} saved value",
    "graph.omitted.names.one": "{n} name",
    "graph.omitted.text_chars.one": "{n} character of long names",
    "graph.omitted.values.one": "{n} tensor value",
    "graph.refused": "The program did not run ({type}), so there is no graph.",
    "graph.refused_line": "The program did not run ({type} on line {line}), so there is no graph.",
    "graph.stopped": "The program stopped ({type}) before it made any tensor that requires grad.",
    "graph.stopped_line": "The program stopped at line {line} ({type}) before it made any tensor that requires grad.",
    "stepper.refused": "The program did not run, so no backward pass was recorded.",
    "stepper.stopped": "The program stopped ({type}) before any backward() ran.",
    "stepper.stopped_line": "The program stopped at line {line} ({type}) before any backward() ran.",
    "inspector.line_none": "not recorded",
    "error.network": "The server could not be reached. Check the connection and try again.",
    "error.http": "The server answered with status {status}. Try again shortly.",
    "error.program_text": "The message as Python or PyTorch wrote it:",
    "app.title": "autograd-viz: see PyTorch's autograd graph",
    "graph.zoom": "Zoom",
    "embed.title": "autograd graph",
    "graph.lost": "The program was stopped ({type}): no graph could be kept.",
    "stepper.lost": "The program was stopped ({type}), so no backward pass can be shown.",
  },
  zh: {
    "app.tagline": "看清 PyTorch 构建的计算图，观察梯度如何沿图反向流动。",
    "app.skip": "跳到计算图",
    "toolbar.examples": "示例",
    "toolbar.custom": "你的程序",
    "toolbar.run": "运行",
    "toolbar.run_hint": "运行（Ctrl+Enter）",
    "toolbar.share": "分享",
    "toolbar.export": "导出",
    "toolbar.language": "语言",
    "toolbar.api": "API",
    "panel.program": "程序",
    "panel.output": "输出",
    "panel.graph": "计算图",
    "output.empty": "还没有打印任何内容。",
    "output.truncated": "… 输出已截断",
    "output.notes": "关于这次运行的说明",
    "page.what_runs_here": "这里能运行什么",
    "editor.keys": "Tab 键缩进；先按 Esc 再按 Tab 可离开编辑器。Ctrl+Enter（Cmd+Enter）运行程序。",
    "view.switch": "视图",
    "view.autograd": "自动求导",
    "view.computation": "计算",
    "view.autograd_title": "按 PyTorch 的链接方式显示函数节点（grad_fn.next_functions）",
    "view.computation_title": "张量与运算，如教科书中画 y = wx + b",
    "graph.zoom_in": "放大",
    "graph.zoom_out": "缩小",
    "graph.fit": "适应屏幕",
    "graph.legend": "图例",
    "graph.empty": "运行程序即可看到它的自动求导图。",
    "graph.no_nodes": "这个程序没有创建需要梯度的张量，所以 PyTorch 没有记录计算图。试试 requires_grad=True。",
    "graph.render_error": "无法绘制计算图（绘图服务繁忙、超时或出错）；计算图的数据是完整的，稍后再运行一次即可。",
    "graph.truncated": "计算图太大：已按限制截断。",
    "graph.omitted": "省略了：{list}。",
    "graph.omitted.join": "、",
    "graph.omitted.nodes": "{n} 个节点",
    "graph.omitted.edges": "{n} 条边",
    "graph.omitted.saved": "{n} 个保存值",
    "graph.omitted.names": "{n} 个名称",
    "graph.omitted.text_chars": "长名称中的 {n} 个字符",
    "graph.omitted.values": "{n} 个张量值",
    "graph.help": "拖动可平移，滚轮或双指缩放。方向键平移，+ 和 − 缩放，0 适应屏幕。Tab 在节点间移动，Enter 查看节点。",
    "graph.help_embed": "拖动可平移；Ctrl+滚轮或双指缩放。",
    "graph.svg_label_autograd": "自动求导图",
    "graph.svg_label_computation": "计算图",
    "graph.scalar": "标量",
    "graph.tensor_label": "{name}：{role}张量，{shape}",
    "graph.function_label": "函数节点 {op}（{symbol}）",
    "status.running": "运行中…",
    "status.ran": "用时 {ms} 毫秒 · {nodes} 个节点",
    "status.edited": "已修改：按“运行”（Ctrl+Enter）更新计算图",
    "status.failed": "未能运行",
    "status.stale": "下面的计算图来自上一次成功运行的程序。",
    "error.line": "第 {line} 行",
    "error.line_col": "第 {line} 行，第 {col} 列",
    "error.hint": "提示",
    "error.timed_out": "程序运行时间过长，已被终止。",
    "error.examples": "无法加载示例：{message}",
    "share.title": "分享这个计算图",
    "share.intro": "链接里包含整个程序（压缩后放在 # 之后），在任何地方打开都能重现这个计算图。服务器不保存任何内容。",
    "share.link": "链接",
    "share.copy": "复制",
    "share.copy_link": "复制链接",
    "share.copied": "已复制",
    "share.link_copied": "链接已复制到剪贴板",
    "share.copy_failed": "已选中：按 Ctrl+C 复制",
    "share.iframe": "嵌入课程网页",
    "share.iframe_note": "把这个 iframe 粘贴到任意 HTML 页面中。",
    "share.script": "或者：一个 script 标签，再加任意多个代码块",
    "share.script_note": "embed.js 会把每个 <pre data-autograd> 代码块变成可交互的计算图，并让每个框架自动适应内容高度。",
    "share.close": "关闭",
    "export.svg": "SVG 图片",
    "export.png": "PNG 图片",
    "export.dot": "Graphviz DOT",
    "export.json": "JSON（图数据）",
    "export.failed": "导出失败：{message}",
    "embed.code": "代码",
    "embed.open": "在演练场中打开",
    "legend.leaf": "需要梯度的叶子张量",
    "legend.parameter": "参数（nn.Parameter）",
    "legend.named": "有名字的非叶子张量",
    "legend.root": "反向传播的起点",
    "legend.function": "函数节点（grad_fn）",
    "legend.constant": "常量或已分离（无梯度）",
    "legend.no_grad": "在 torch.no_grad() 中计算",
    "legend.edge_data": "数据流，传递梯度",
    "legend.edge_saved": "为反向传播保存，不传梯度",
    "legend.edge_detach": ".detach()（点线）",
    "legend.running": "反向传播单步执行中的节点",
    "role_short.leaf": "叶子",
    "role_short.parameter": "参数",
    "role_short.named": "非叶子",
    "role_short.root": "反向传播起点",
    "role_short.constant": "常量",
    "role_short.detached": "已分离",
    "role_short.no_grad": "no_grad 结果",
    "role.leaf": "需要梯度的叶子张量：由你创建，而不是由运算产生。backward() 会把梯度累加到它的 .grad 中。",
    "role.parameter": "模块参数（nn.Parameter）：需要梯度的叶子张量，由优化器更新。",
    "role.named": "由运算得到的张量（设置了 grad_fn）。PyTorch 用完它的梯度就会释放：除非调用 retain_grad()，否则 .grad 为 None。",
    "role.root": "调用 backward() 的张量：梯度从这里开始（标量时为 1）。",
    "role.constant": "不需要梯度的张量：梯度不会流入它。",
    "role.detached": "由 .detach() 得到：数值相同，但已从计算图中切断，梯度不会经它回传。",
    "role.no_grad": "在 torch.no_grad() 中计算：PyTorch 没有记录 grad_fn，梯度到这里就断了。",
    "inspector.title": "检查器",
    "inspector.empty": "点击图中的节点（或用 Tab 移到节点后按 Enter），查看 PyTorch 在它上面保存了什么。",
    "inspector.name": "名称",
    "inspector.kind": "类别",
    "inspector.kind_tensor": "张量",
    "inspector.kind_function": "函数节点",
    "inspector.op": "运算",
    "inspector.shape": "形状",
    "inspector.dtype": "数据类型",
    "inspector.requires_grad": "requires_grad",
    "inspector.is_leaf": "is_leaf",
    "inspector.grad_fn": "grad_fn",
    "inspector.retains_grad": "retains_grad",
    "inspector.version": "_version",
    "inspector.version_note": "（原地修改的次数）",
    "inspector.line": "源代码",
    "inspector.line_n": "第 {line} 行",
    "inspector.value": "值",
    "inspector.saved": "为反向传播保存的值",
    "inspector.saved_none": "没有保存任何值：这个反向运算不需要输入的值。",
    "inspector.function_text": "自动求导节点：反向传播时，{op} 把输出的梯度变换为输入的梯度。",
    "inspector.grad_none_leaf": "None：还没有反向传播到达这个叶子张量。",
    "inspector.grad_none_nograd": "None：这个张量不需要梯度。",
    "inspector.grad_none_nonleaf": "None：PyTorch 只在叶子张量上保留 .grad。对这个张量调用 retain_grad() 即可保留。",
    "inspector.gradients": "第 {pass} 次反向传播中的梯度",
    "inspector.grad_from": "来自",
    "inspector.grad_to": "传给",
    "stepper.title": "反向传播",
    "stepper.pass": "要单步查看的反向传播",
    "stepper.pass_option": "第 {n} 次：{call}，第 {line} 行",
    "stepper.reset": "重置",
    "stepper.back": "后退一步",
    "stepper.play": "播放",
    "stepper.pause": "暂停",
    "stepper.forward": "前进一步",
    "stepper.slider": "步骤",
    "stepper.count": "第 {n} / {total} 步",
    "stepper.none": "这个程序没有调用 backward()：加上 loss.backward() 就能观察梯度流动。",
    "stepper.ready": "第 {line} 行的 {call} 从 {roots} 开始。前进一步即可运行第一个节点。",
    "stepper.runs": "第 {n} / {total} 步：运行 {op}{line}。",
    "stepper.on_line": "（第 {line} 行）",
    "stepper.receives": "收到来自 {list} 的梯度。",
    "stepper.sends": "把梯度传给 {list}。",
    "stepper.sends_nothing": "不再向后传递。",
    "stepper.accumulate": "第 {n} / {total} 步：AccumulateGrad 把梯度累加到 {name}.grad，现在它是 {grad}。",
    "stepper.grad_before": ".grad（第 {pass} 次）",
    "stepper.raised": "第 {n} / {total} 步：{op} 在这里出错（{type}）：反向传播在此停止，之后的节点都没有运行。",
    "stepper.raised_outside": "第 {n} / {total} 步：{call} 在这里出错停止（{type}）。",
    "stepper.pass_raised": "（出错：{type}）",
    "inspector.saved_version": "保存之后被原地修改过：保存时是第 {saved} 版，现在是第 {now} 版。上面显示的值是它的反向运算所用的值。",
    "inspector.saved_error": "如果现在运行这个反向运算，PyTorch 会报错：",
    // --- never stale, plurals, Chinese complete (issue 14) ---
    "graph.refused": "程序没有运行（{type}），所以没有计算图。",
    "graph.refused_line": "程序没有运行（第 {line} 行：{type}），所以没有计算图。",
    "graph.stopped": "程序在创建需要梯度的张量之前就停止了（{type}）。",
    "graph.stopped_line": "程序在第 {line} 行停止（{type}），那时还没有创建需要梯度的张量。",
    "stepper.refused": "程序没有运行，所以没有记录反向传播。",
    "stepper.stopped": "程序在运行任何 backward() 之前就停止了（{type}）。",
    "stepper.stopped_line": "程序在第 {line} 行停止（{type}），那时还没有运行任何 backward()。",
    "inspector.line_none": "没有记录",
    "error.network": "无法连接服务器。请检查网络后重试。",
    "error.http": "服务器返回了状态码 {status}。请稍后重试。",
    "error.program_text": "Python 或 PyTorch 给出的原始信息：",
    "app.title": "autograd-viz：看清 PyTorch 的自动求导图",
    "graph.zoom": "缩放",
    "embed.title": "自动求导图",
    "graph.lost": "程序被终止了（{type}）：没能保留计算图。",
    "stepper.lost": "程序被终止了（{type}），所以无法显示反向传播。",
  },
};

const listeners = [];

function initialLanguage() {
  const param = new URLSearchParams(location.search).get("lang");
  if (param in STRINGS) return param;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved in STRINGS) return saved;
  } catch {
    // Storage can be off (private mode, sandboxed frames): fall back to the browser.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((tag) => /^zh\b/i.test(tag ?? "")) ? "zh" : "en";
}

let current = initialLanguage();

export const lang = () => current;

/** The string for key in the current language, with {name} placeholders filled. */
export function t(key, values = {}) {
  const template = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

const pluralRules = {};

/**
 * The string for key, in the plural form `count` takes in the current language: `key.one`,
 * `key.few`... when the language has that form, else `key` itself (Chinese has one form).
 * `values` fill the placeholders; `n` is `count` unless given.
 */
export function tn(key, count, values = {}) {
  pluralRules[current] ??= new Intl.PluralRules(current === "zh" ? "zh-CN" : "en");
  const form = `${key}.${pluralRules[current].select(count)}`;
  return t(form in STRINGS[current] ? form : key, { n: count, ...values });
}

/** {en, zh} text from the API, in the current language. */
export const pick = (localized) => (localized ? localized[current] ?? localized.en : "");

export function setLanguage(next, { remember = true } = {}) {
  if (!(next in STRINGS)) return;
  current = next;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still switched.
    }
  }
  translatePage();
  for (const listener of listeners) listener(next);
}

export const onLanguageChange = (listener) => listeners.push(listener);

/** A <select> of languages: shows the current one, and switches to the one chosen. */
export function bindLanguagePicker(select) {
  select.value = current;
  select.addEventListener("change", () => setLanguage(select.value));
  onLanguageChange(() => {
    select.value = current;
  });
}

/** Fill every data-i18n* attribute under root with the current language's strings. */
export function translatePage(root = document) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-aria]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAria));
    if (node.hasAttribute("title")) node.title = t(node.dataset.i18nAria);
  }
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
}
