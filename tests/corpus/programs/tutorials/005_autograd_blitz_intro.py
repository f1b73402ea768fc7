# title: A gentle intro to torch.autograd: gradients of Q = 3a^3 - b^2
# expect: match

import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)

Q = 3 * a**3 - b**2
print(Q)

# Q is a vector, so backward needs a gradient of the same shape: dQ/dQ = 1
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)

# the collected gradients match the hand-derived ones
print(a.grad, 9 * a**2)
print(b.grad, -2 * b)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)

# only operations on tensors that require grad are tracked
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
c = x + y
print(f"Does `c` require gradients?: {c.requires_grad}")
d = x + z
print(f"Does `d` require gradients?: {d.requires_grad}")

# freezing part of a model: a tiny stand-in for a pretrained network
model = torch.nn.Sequential(
    torch.nn.Linear(16, 8),
    torch.nn.ReLU(),
    torch.nn.Linear(8, 4),
)
for param in model.parameters():
    param.requires_grad = False

# replace the head with a fresh, trainable layer
model[2] = torch.nn.Linear(8, 3)
trainable = [name for name, p in model.named_parameters() if p.requires_grad]
print(trainable)

optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
out = model(torch.rand(2, 16))
out.sum().backward()
print(model[0].weight.grad is None, model[2].weight.grad.shape)
optimizer.step()
