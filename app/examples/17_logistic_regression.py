# title: Logistic regression, one SGD step
# title_zh: 逻辑回归：一步 SGD
# description: The loss flows back through BinaryCrossEntropyBackward0, SigmoidBackward0 and AddmmBackward0 (TBackward0 is the transposed weight) to the parameters SGD updates.
# description_zh: 损失依次经过 BinaryCrossEntropyBackward0、SigmoidBackward0 和 AddmmBackward0（TBackward0 是转置后的权重），回到 SGD 要更新的参数。

import torch
import torch.nn as nn
from torch import optim

torch.manual_seed(0)
linear = nn.Linear(2, 1)
sigmoid = nn.Sigmoid()
criterion = nn.BCELoss()
optimizer = optim.SGD(linear.parameters(), lr=0.1, momentum=0.9)
x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0], [2.0, 1.0]])
y = torch.tensor([[1.0], [0.0], [0.0], [1.0]])
prob = sigmoid(linear(x))
loss = criterion(prob, y)
optimizer.zero_grad()
loss.backward()
print("weight grad:", linear.weight.grad)
print("bias grad:", linear.bias.grad)
optimizer.step()
print("new weight:", linear.weight.detach())
