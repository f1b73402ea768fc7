# title: One neuron with tanh
# title_zh: 带 tanh 的单个神经元
# description: The classic neuron o = tanh(x1*w1 + x2*w2 + b); TanhBackward0 scales the gradient by 1 - o^2 before it splits to the weights.
# description_zh: 经典神经元 o = tanh(x1*w1 + x2*w2 + b)；TanhBackward0 先把梯度乘以 1 - o^2，再分给各个权重。

import torch

x1 = torch.tensor(2.0, requires_grad=True)
x2 = torch.tensor(0.0, requires_grad=True)
w1 = torch.tensor(-3.0, requires_grad=True)
w2 = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(6.8813735870195432, requires_grad=True)
n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)
o.backward()
print("o =", o.item())
print("x1.grad =", x1.grad, "w1.grad =", w1.grad)
print("x2.grad =", x2.grad, "w2.grad =", w2.grad)
