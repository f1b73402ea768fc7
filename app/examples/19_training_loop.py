# title: A three-step training loop
# title_zh: 三步训练循环
# description: Each step clears the old gradients, runs backward and lets the optimizer update the weights; the loss goes down.
# description_zh: 每一步先清空旧梯度，再反向传播，最后由优化器更新权重；损失逐步下降。

import torch
import torch.nn as nn
from torch import optim

torch.manual_seed(0)
model = nn.Linear(1, 1)
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[1.0], [2.0], [3.0]])
y = 2 * x + 1
for step in range(3):
    optimizer.zero_grad()
    pred = model(x)
    loss = criterion(pred, y)
    loss.backward()
    optimizer.step()
    print(step, loss.item())
