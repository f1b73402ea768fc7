"""Autograd corner programs, written the way course notes teach each corner.

Each program is a few lines a student could type into the playground (``torch``, ``nn``, ``F``
and ``optim`` are pre-imported).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Corner:
    """One corner program."""

    id: str  # "<topic>/<what it shows>"
    code: str


def _corner(id: str, code: str) -> Corner:
    return Corner(id=id, code=code.lstrip("\n"))


CORNERS: list[Corner] = [
    # --- views and in-place operations -------------------------------------------------------
    _corner(
        "inplace/slice_assign_constant",
        """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y[0] = 10.0
z = y.sum()
z.backward()
""",
    ),
    _corner(
        "inplace/slice_assign_from_itself",
        """
x = torch.ones(2, 3, requires_grad=True)
y = x + 1
y[:, 1] = y[:, 0] * 3
loss = (y * y).sum()
loss.backward()
""",
    ),
    _corner(
        "inplace/add_on_intermediate",
        """
x = torch.tensor([0.5, -1.0], requires_grad=True)
y = x * 3
y.add_(1)
loss = (y * y).sum()
loss.backward()
""",
    ),
    _corner(
        "inplace/mul_on_intermediate",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x + 1
y.mul_(3)
y.sum().backward()
""",
    ),
    _corner(
        "inplace/relu_on_intermediate",
        """
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
h = x - 1
h.relu_()
out = (h * x).sum()
out.backward()
""",
    ),
    _corner(
        "inplace/functional_relu_inplace",
        """
w = torch.tensor([[1.0, -2.0], [0.5, 1.5]], requires_grad=True)
x = torch.tensor([1.0, 1.0])
h = F.relu(w @ x, inplace=True)
loss = h.pow(2).sum()
loss.backward()
""",
    ),
    _corner(
        "inplace/iadd_operator",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * x
y += 5
y *= 2
total = y.sum()
total.backward()
""",
    ),
    _corner(
        "inplace/view_then_add_",
        """
x = torch.arange(4.0, requires_grad=True)
y = x * 1
v = y.view(2, 2)
v.add_(1)
s = (y * y).sum()
s.backward()
""",
    ),
    _corner(
        "inplace/transposed_view_mul_",
        """
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x.clone()
y.t()[0].mul_(10)
out = y.sum()
out.backward()
""",
    ),
    _corner(
        "inplace/masked_assign",
        """
x = torch.tensor([-2.0, 1.0, -0.5, 3.0], requires_grad=True)
y = x * 2
y[y < 0] = 0.0
y.sum().backward()
""",
    ),
    _corner(
        "inplace/clamp_and_fill",
        """
x = torch.tensor([0.2, 1.7, -3.0], requires_grad=True)
y = x.exp() - 1
y.clamp_(min=-0.5, max=2.0)
y[1:].fill_(0.25)
loss = (y * x).sum()
loss.backward()
""",
    ),
    _corner(
        "inplace/data_write_after_backward",
        """
w = torch.tensor([1.0, -1.0], requires_grad=True)
loss = (w * w).sum()
loss.backward()
w.data.mul_(0.5)
print(w, w.grad)
""",
    ),
    _corner(
        "inplace/data_update_loop",
        """
w = torch.tensor([2.0, -3.0], requires_grad=True)
for step in range(3):
    loss = ((w - 1) ** 2).sum()
    loss.backward()
    w.data -= 0.1 * w.grad
    w.grad.zero_()
print(w)
""",
    ),
    _corner(
        "inplace/data_hides_change_from_autograd",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sigmoid()
y.data.fill_(0.5)
y.sum().backward()
print(x.grad)
""",
    ),
    _corner(
        "inplace/detach_vs_clone",
        """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
a = x.detach()
b = x.clone()
print(a.requires_grad, b.requires_grad, b.grad_fn)
loss = (b * 2).sum()
loss.backward()
""",
    ),
    _corner(
        "inplace/detach_shares_memory",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x.detach()
a.zero_()
print(x)
y = (x + 1) ** 2
y.sum().backward()
""",
    ),
    _corner(
        "inplace/detach_in_place",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.detach_()
z = x * 3 + y
z.sum().backward()
print(y.requires_grad, y.grad_fn)
""",
    ),
    _corner(
        "inplace/stop_gradient_with_detach",
        """
x = torch.tensor(3.0, requires_grad=True)
target = (x * 2).detach()
loss = (x - target) ** 2 + x
loss.backward()
""",
    ),
    _corner(
        "inplace/no_grad_update_of_leaf",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, w.is_leaf, w.requires_grad)
""",
    ),
    _corner(
        "inplace/add_to_input_of_add_is_fine",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x * 2
b = a + 1
a.add_(1)
b.sum().backward()
""",
    ),
    # --- version counters -------------------------------------------------------------------
    _corner(
        "version/counter_counts_in_place_ops",
        """
x = torch.ones(3)
print(x._version)
x.add_(1)
x[0] = 5.0
print(x._version)
w = torch.ones(3, requires_grad=True)
loss = (w * x).sum()
loss.backward()
""",
    ),
    _corner(
        "version/view_shares_counter",
        """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
z = y.pow(2)
v = y[1:]
v.add_(1)
z.sum().backward()
""",
    ),
    _corner(
        "version/saved_output_modified",
        """
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = x.sigmoid()
y.mul_(2)
y.sum().backward()
""",
    ),
    _corner(
        "version/saved_input_modified",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x * 2
b = a * a
a.add_(1)
b.sum().backward()
""",
    ),
    _corner(
        "version/exp_then_iadd",
        """
x = torch.tensor([0.1, 0.2], requires_grad=True)
y = x.exp()
y += 1
y.sum().backward()
""",
    ),
    _corner(
        "version/error_caught_then_fixed",
        """
x = torch.tensor([1.0, 3.0], requires_grad=True)
y = x.tanh()
y.add_(1)
try:
    y.sum().backward()
except RuntimeError as err:
    print("in-place:", type(err).__name__)
y = x.tanh() + 1
y.sum().backward()
""",
    ),
    # --- hooks ------------------------------------------------------------------------------
    _corner(
        "hooks/print_gradient_of_intermediate",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.register_hook(lambda g: print("dy", g))
z = (y ** 2).sum()
z.backward()
""",
    ),
    _corner(
        "hooks/double_the_gradient",
        """
x = torch.tensor([1.0, -1.0], requires_grad=True)
y = x.exp()
y.register_hook(lambda g: g * 2)
loss = y.sum()
loss.backward()
""",
    ),
    _corner(
        "hooks/hook_on_leaf",
        """
w = torch.tensor([0.5, 1.5], requires_grad=True)
w.register_hook(lambda g: g.clamp(max=1.0))
loss = (w * 4).sum()
loss.backward()
""",
    ),
    _corner(
        "hooks/remove_handle",
        """
x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
handle = y.register_hook(lambda g: g * 100)
handle.remove()
y.backward()
""",
    ),
    _corner(
        "hooks/two_hooks_chain",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * x
y.register_hook(lambda g: g + 1)
y.register_hook(lambda g: g * 10)
y.sum().backward()
""",
    ),
    _corner(
        "hooks/named_function_hook",
        """
seen = []

def remember(grad):
    seen.append(grad.clone())
    return None

x = torch.tensor([3.0, 4.0], requires_grad=True)
norm = x.norm()
norm.register_hook(remember)
norm.backward()
print(seen)
""",
    ),
    _corner(
        "hooks/retain_grad",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
h.retain_grad()
out = (h ** 3).sum()
out.backward()
print(h.grad, h.is_leaf)
""",
    ),
    _corner(
        "hooks/gradient_clip_hook_on_module",
        """
torch.manual_seed(0)
layer = nn.Linear(3, 1)
for p in layer.parameters():
    p.register_hook(lambda g: g.clamp(-0.1, 0.1))
x = torch.randn(4, 3)
loss = layer(x).pow(2).mean()
loss.backward()
""",
    ),
    _corner(
        "hooks/post_accumulate_grad_hook",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
w.register_post_accumulate_grad_hook(lambda p: print("accumulated", p.grad))
(w * w).sum().backward()
""",
    ),
    # --- retain_graph -----------------------------------------------------------------------
    _corner(
        "retain/backward_twice_fails",
        """
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward()
y.backward()
""",
    ),
    _corner(
        "retain/retain_graph_accumulates",
        """
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
""",
    ),
    _corner(
        "retain/no_saved_tensors_twice",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()
""",
    ),
    _corner(
        "retain/two_losses_share_trunk",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x.tanh()
loss1 = h.sum()
loss2 = (h * h).sum()
loss1.backward(retain_graph=True)
loss2.backward()
""",
    ),
    _corner(
        "retain/sum_of_losses_once",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x.sin()
total = h.sum() + (h * 2).sum()
total.backward()
""",
    ),
    # --- inputs= and allow_unused -----------------------------------------------------------
    _corner(
        "inputs/grad_of_one_input",
        """
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
f = a * b + b ** 2
(db,) = torch.autograd.grad(f, [b])
print(db, a.grad, b.grad)
""",
    ),
    _corner(
        "inputs/backward_inputs_only_w",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
loss = ((w * 3 + b) ** 2).sum()
loss.backward(inputs=[w])
print(w.grad, b.grad)
""",
    ),
    _corner(
        "inputs/allow_unused_gives_none",
        """
x = torch.tensor(1.0, requires_grad=True)
unused = torch.tensor(5.0, requires_grad=True)
y = x * 4
gx, gu = torch.autograd.grad(y, [x, unused], allow_unused=True)
print(gx, gu)
""",
    ),
    _corner(
        "inputs/unused_without_allow_fails",
        """
x = torch.tensor(1.0, requires_grad=True)
unused = torch.tensor(5.0, requires_grad=True)
y = x * 4
grads = torch.autograd.grad(y, [x, unused])
""",
    ),
    _corner(
        "inputs/materialize_grads",
        """
x = torch.tensor(1.0, requires_grad=True)
z = torch.tensor(2.0, requires_grad=True)
y = x.exp()
gx, gz = torch.autograd.grad(y, [x, z], allow_unused=True, materialize_grads=True)
print(gx, gz)
""",
    ),
    _corner(
        "inputs/autograd_backward_with_inputs",
        """
p = torch.tensor([1.0, -1.0], requires_grad=True)
q = torch.tensor([2.0, 0.5], requires_grad=True)
out = (p * q).sum()
torch.autograd.backward(out, inputs=[q])
""",
    ),
    _corner(
        "inputs/grad_of_intermediate",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * x
y = h.log().sum()
(dh,) = torch.autograd.grad(y, h)
print(dh)
""",
    ),
    # --- create_graph and higher derivatives ------------------------------------------------
    _corner(
        "higher/second_derivative_of_cube",
        """
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)
print(dy, d2y)
""",
    ),
    _corner(
        "higher/backward_of_gradient",
        """
x = torch.tensor(1.5, requires_grad=True)
y = torch.sin(x) * x
(g,) = torch.autograd.grad(y, x, create_graph=True)
g.backward()
print(x.grad)
""",
    ),
    _corner(
        "higher/create_graph_in_backward",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
y.backward(create_graph=True)
first = x.grad
x.grad = None
first.sum().backward()
print(x.grad)
""",
    ),
    _corner(
        "higher/gradient_penalty",
        """
w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([1.0, 2.0], requires_grad=True)
out = (w * x).tanh().sum()
(gx,) = torch.autograd.grad(out, x, create_graph=True)
penalty = (gx.norm() - 1) ** 2
penalty.backward()
""",
    ),
    _corner(
        "higher/hessian_vector_product",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
f = (x[0] ** 2) * x[1] + x[1] ** 3
(g,) = torch.autograd.grad(f, x, create_graph=True)
v = torch.tensor([1.0, 0.0])
(hv,) = torch.autograd.grad(g @ v, x)
print(hv)
""",
    ),
    _corner(
        "higher/derivatives_in_a_loop",
        """
x = torch.tensor(0.5, requires_grad=True)
d = torch.exp(2 * x)
for order in range(3):
    (d,) = torch.autograd.grad(d, x, create_graph=True)
    print(order + 1, d.item())
""",
    ),
    # --- grad modes -------------------------------------------------------------------------
    _corner(
        "modes/no_grad_block",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
z = x * y
z.sum().backward()
print(y.requires_grad)
""",
    ),
    _corner(
        "modes/enable_grad_inside_no_grad",
        """
x = torch.tensor(3.0, requires_grad=True)
with torch.no_grad():
    a = x * 2
    with torch.enable_grad():
        b = x * 5
b.backward()
print(a.requires_grad, b.requires_grad)
""",
    ),
    _corner(
        "modes/set_grad_enabled_calls",
        """
x = torch.tensor(2.0, requires_grad=True)
torch.set_grad_enabled(False)
frozen = x * 3
torch.set_grad_enabled(True)
live = x * frozen
live.backward()
""",
    ),
    _corner(
        "modes/set_grad_enabled_context",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
train = False
with torch.set_grad_enabled(train):
    y = x ** 2
print(y.requires_grad)
z = (x ** 2).sum()
z.backward()
""",
    ),
    _corner(
        "modes/no_grad_decorator",
        """
@torch.no_grad()
def evaluate(w, x):
    return (w * x).sum()

w = torch.tensor([1.0, 2.0], requires_grad=True)
score = evaluate(w, torch.tensor([3.0, 4.0]))
loss = (w ** 2).sum()
loss.backward()
print(score.requires_grad)
""",
    ),
    _corner(
        "modes/backward_of_no_grad_result_fails",
        """
x = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    y = x * 2
y.backward()
""",
    ),
    _corner(
        "modes/inference_mode",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    y = x * 2
print(y.requires_grad)
(x * 3).sum().backward()
""",
    ),
    # --- requires_grad_ toggles -------------------------------------------------------------
    _corner(
        "flags/requires_grad_after_creation",
        """
x = torch.ones(3)
x.requires_grad_()
y = (x * 2).sum()
y.backward()
""",
    ),
    _corner(
        "flags/freeze_before_use",
        """
w1 = torch.tensor([1.0, 2.0], requires_grad=True)
w2 = torch.tensor([3.0, 4.0], requires_grad=True)
w1.requires_grad_(False)
loss = (w1 * w2).sum()
loss.backward()
""",
    ),
    _corner(
        "flags/freeze_module_layer",
        """
torch.manual_seed(1)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
for p in net[0].parameters():
    p.requires_grad_(False)
x = torch.randn(4, 2)
loss = net(x).mean()
loss.backward()
""",
    ),
    _corner(
        "flags/non_leaf_cannot_stop_requiring",
        """
x = torch.tensor(1.0, requires_grad=True)
y = x * 2
y.requires_grad_(False)
""",
    ),
    _corner(
        "flags/freeze_after_backward",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w * 3).sum()
loss.backward()
w.requires_grad_(False)
print(w.grad)
""",
    ),
    _corner(
        "flags/enable_between_two_backwards",
        """
a = torch.tensor(2.0)
b = torch.tensor(3.0, requires_grad=True)
(a * b).backward()
a.requires_grad_()
(a * b).backward()
""",
    ),
    _corner(
        "flags/add_after_retained_backward",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.sum()
z.backward(retain_graph=True)
y.add_(1)
z.backward()
""",
    ),
    # --- dtypes -----------------------------------------------------------------------------
    _corner(
        "dtypes/float64_leaf",
        """
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = (x.exp() / 3).sum()
y.backward()
""",
    ),
    _corner(
        "dtypes/int_cannot_require_grad",
        """
counts = torch.tensor([1, 2, 3])
counts.requires_grad_()
""",
    ),
    _corner(
        "dtypes/int_tensor_times_float_leaf",
        """
counts = torch.tensor([1, 2, 3])
w = torch.tensor([0.5, 0.5, 0.5], requires_grad=True)
total = (counts * w).sum()
total.backward()
""",
    ),
    _corner(
        "dtypes/float32_times_float64",
        """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([0.5, 0.25], dtype=torch.float64, requires_grad=True)
c = (a * b).sum()
c.backward()
print(c.dtype, a.grad.dtype, b.grad.dtype)
""",
    ),
    _corner(
        "dtypes/half_cast",
        """
x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
h = x.half()
y = (h * 3).float().sum()
y.backward()
""",
    ),
    _corner(
        "dtypes/gather_with_int_index",
        """
scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.1, 0.2]], requires_grad=True)
labels = torch.tensor([2, 0])
picked = scores.gather(1, labels.unsqueeze(1))
loss = -picked.sum()
loss.backward()
""",
    ),
    _corner(
        "dtypes/bool_mask_times_float",
        """
x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
mask = x > 0
y = (x * mask).sum()
y.backward()
""",
    ),
    _corner(
        "dtypes/default_dtype_float64",
        """
torch.set_default_dtype(torch.float64)
x = torch.tensor([0.1, 0.2], requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(x.dtype)
""",
    ),
    # --- shared weights ---------------------------------------------------------------------
    _corner(
        "shared/same_leaf_twice",
        """
w = torch.tensor(2.0, requires_grad=True)
y = w * w + 3 * w
y.backward()
""",
    ),
    _corner(
        "shared/tied_linear_weights",
        """
torch.manual_seed(2)
enc = nn.Linear(3, 2, bias=False)
dec = nn.Linear(2, 3, bias=False)
x = torch.randn(2, 3)
recon = F.linear(enc(x), enc.weight.t())
loss = F.mse_loss(recon, x)
loss.backward()
""",
    ),
    _corner(
        "shared/module_called_twice",
        """
torch.manual_seed(3)
block = nn.Linear(2, 2)
x = torch.randn(1, 2)
out = block(torch.tanh(block(x)))
out.sum().backward()
""",
    ),
    _corner(
        "shared/parameter_assigned_to_two_modules",
        """
torch.manual_seed(4)
emb = nn.Embedding(5, 3)
head = nn.Linear(3, 5, bias=False)
head.weight = emb.weight
tokens = torch.tensor([1, 4])
logits = head(emb(tokens))
loss = F.cross_entropy(logits, torch.tensor([4, 1]))
loss.backward()
""",
    ),
    # --- optimizer loops --------------------------------------------------------------------
    _corner(
        "optim/sgd_three_steps",
        """
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = ((w - 3) ** 2).sum()
    loss.backward()
    opt.step()
print(w)
""",
    ),
    _corner(
        "optim/adam_three_steps",
        """
torch.manual_seed(5)
model = nn.Linear(2, 1)
opt = optim.Adam(model.parameters(), lr=0.05)
x = torch.randn(6, 2)
y = torch.randn(6, 1)
for step in range(3):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    opt.step()
""",
    ),
    _corner(
        "optim/zero_grad_sets_none",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
(w ** 2).sum().backward()
opt.step()
opt.zero_grad()
print(w.grad)
""",
    ),
    _corner(
        "optim/zero_grad_keeps_zeros",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
(w ** 2).sum().backward()
opt.step()
opt.zero_grad(set_to_none=False)
print(w.grad)
""",
    ),
    _corner(
        "optim/sgd_momentum_two_steps",
        """
w = torch.tensor([3.0], requires_grad=True)
opt = optim.SGD([w], lr=0.1, momentum=0.9)
for _ in range(2):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
""",
    ),
    _corner(
        "optim/forgot_zero_grad",
        """
w = torch.tensor(1.0, requires_grad=True)
opt = optim.SGD([w], lr=0.1)
for _ in range(3):
    loss = w * 2
    loss.backward()
    print(w.grad.item())
opt.step()
""",
    ),
    _corner(
        "optim/step_lr_scheduler",
        """
w = torch.tensor([1.0], requires_grad=True)
opt = optim.SGD([w], lr=0.5)
sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
for _ in range(3):
    opt.zero_grad()
    (w ** 2).sum().backward()
    opt.step()
    sched.step()
print(w, sched.get_last_lr())
""",
    ),
    # --- gradient accumulation --------------------------------------------------------------
    _corner(
        "accumulate/two_micro_batches",
        """
torch.manual_seed(6)
model = nn.Linear(3, 1)
opt = optim.SGD(model.parameters(), lr=0.1)
data = torch.randn(4, 3)
target = torch.randn(4, 1)
opt.zero_grad()
for chunk, goal in zip(data.split(2), target.split(2)):
    loss = F.mse_loss(model(chunk), goal) / 2
    loss.backward()
opt.step()
""",
    ),
    _corner(
        "accumulate/manual_grad_zero",
        """
w = torch.tensor([1.0, 1.0], requires_grad=True)
xs = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, -1.0])]
for x in xs:
    (w * x).sum().backward()
print(w.grad)
w.grad.zero_()
(w * xs[0]).sum().backward()
""",
    ),
    _corner(
        "accumulate/grad_set_to_none_by_hand",
        """
w = torch.tensor(2.0, requires_grad=True)
(w ** 2).backward()
w.grad = None
(w * 5).backward()
""",
    ),
    # --- non-scalar backward ----------------------------------------------------------------
    _corner(
        "nonscalar/backward_with_ones",
        """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
y.backward(torch.ones_like(y))
""",
    ),
    _corner(
        "nonscalar/backward_without_gradient_fails",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.backward()
""",
    ),
    _corner(
        "nonscalar/weighted_gradient_argument",
        """
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x.sqrt()
y.backward(gradient=torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
""",
    ),
    _corner(
        "nonscalar/grad_outputs_in_autograd_grad",
        """
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.stack([x.sum(), (x * x).sum()])
(vjp,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 10.0]))
print(vjp)
""",
    ),
    _corner(
        "nonscalar/two_roots_in_autograd_backward",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x.sum()
b = (x * 3).sum()
torch.autograd.backward([a, b], [torch.tensor(1.0), torch.tensor(0.5)])
""",
    ),
    # --- torch.autograd.Function subclasses -------------------------------------------------
    _corner(
        "function/square_saves_input",
        """
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_out

x = torch.tensor([1.0, 3.0], requires_grad=True)
y = Square.apply(x).sum()
y.backward()
""",
    ),
    _corner(
        "function/relu_with_mask",
        """
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        return inp.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (inp,) = ctx.saved_tensors
        grad = grad_output.clone()
        grad[inp < 0] = 0
        return grad

x = torch.tensor([-1.0, 2.0, -0.5, 1.0], requires_grad=True)
out = (MyReLU.apply(x * 2) ** 2).sum()
out.backward()
""",
    ),
    _corner(
        "function/non_tensor_argument",
        """
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Scale.apply(x, 3.0)
y.sum().backward()
""",
    ),
    _corner(
        "function/needs_input_grad",
        """
class MulAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b + a

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g * (b + 1) if ctx.needs_input_grad[0] else None
        gb = g * a if ctx.needs_input_grad[1] else None
        return ga, gb

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
MulAdd.apply(a, b).sum().backward()
""",
    ),
    _corner(
        "function/straight_through_round",
        """
class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, g):
        return g

w = torch.tensor([0.4, 1.6, -0.7], requires_grad=True)
q = RoundSTE.apply(w)
loss = ((q - 1) ** 2).sum()
loss.backward()
""",
    ),
    _corner(
        "function/backward_raises",
        """
class Broken(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        raise ValueError("not differentiable here")

x = torch.tensor(1.0, requires_grad=True)
y = Broken.apply(x) * 2
y.backward()
""",
    ),
    _corner(
        "function/wrong_number_of_grads",
        """
class TooMany(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2, g

x = torch.tensor(1.0, requires_grad=True)
TooMany.apply(x).backward()
""",
    ),
    # --- data-dependent control flow --------------------------------------------------------
    _corner(
        "control/while_norm_doubling",
        """
x = torch.tensor([0.3, -0.2], requires_grad=True)
y = x * 2
while y.norm() < 5:
    y = y * 2
y.sum().backward()
""",
    ),
    _corner(
        "control/branch_on_sign",
        """
a = torch.tensor(-1.5, requires_grad=True)
if a.sum() > 0:
    out = a * 2
else:
    out = a ** 2
out.backward()
""",
    ),
    _corner(
        "control/loop_over_elements",
        """
xs = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
total = torch.tensor(0.0)
for i in range(3):
    if xs[i] > 0:
        total = total + xs[i] ** 2
    else:
        total = total - xs[i]
total.backward()
""",
    ),
    _corner(
        "control/item_breaks_the_graph",
        """
x = torch.tensor(2.0, requires_grad=True)
scale = (x * 3).item()
y = x * scale
y.backward()
print(scale, x.grad)
""",
    ),
    _corner(
        "control/torch_where",
        """
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
y = torch.where(x > 0, x ** 2, -x)
y.sum().backward()
""",
    ),
    _corner(
        "control/max_picks_one",
        """
x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
m = x.max()
m.backward()
""",
    ),
    # --- errors students hit ----------------------------------------------------------------
    _corner(
        "errors/backward_without_requires_grad",
        """
x = torch.tensor([1.0, 2.0])
y = (x * 2).sum()
y.backward()
""",
    ),
    _corner(
        "errors/leaf_in_place",
        """
w = torch.tensor([1.0, 2.0], requires_grad=True)
w.add_(1)
""",
    ),
    _corner(
        "errors/leaf_view_in_place",
        """
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w[0] = 0.0
""",
    ),
    _corner(
        "errors/numpy_of_requires_grad",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
arr = y.numpy()
""",
    ),
    _corner(
        "errors/grad_of_non_leaf_is_none",
        """
x = torch.tensor(2.0, requires_grad=True)
y = x * 3
z = y ** 2
z.backward()
print(y.grad, x.grad)
""",
    ),
    _corner(
        "errors/backward_twice_in_loop",
        """
w = torch.tensor(1.0, requires_grad=True)
loss = (w - 2) ** 2
for _ in range(2):
    loss.backward()
""",
    ),
    _corner(
        "errors/caught_backward_error_then_retry",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * x
try:
    y.backward()
except RuntimeError:
    print("needs a scalar")
y.sum().backward()
""",
    ),
    _corner(
        "errors/shape_mismatch_in_gradient",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.backward(torch.ones(3))
""",
    ),
]
