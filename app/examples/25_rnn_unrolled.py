# title: An RNN cell unrolled over four steps
# title_zh: 按时间步展开的 RNN 单元（四步）
# description: The same nn.RNNCell is called once per time step with the hidden state of the step before, so the graph repeats one AddmmBackward0 + TanhBackward0 pattern four times, every copy using the same weights. Backpropagation through time carries the gradient all the way back to the first hidden state h0.
# description_zh: 同一个 nn.RNNCell 在每个时间步调用一次，输入上一步的隐藏状态，所以计算图把同一个 AddmmBackward0 + TanhBackward0 结构重复四次，每一份都使用同一组权重。随时间反向传播把梯度一直传回最初的隐藏状态 h0。

import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.RNNCell(input_size=2, hidden_size=3)
xs = torch.randn(4, 1, 2)  # 4 time steps, batch of 1, 2 features
h0 = torch.zeros(1, 3, requires_grad=True)
h = h0
for t in range(4):
    h = cell(xs[t], h)  # tanh(W_ih x_t + b_ih + W_hh h + b_hh)
loss = h.pow(2).sum()
loss.backward()
print("last hidden state:", h)
print("gradient at h0:", h0.grad)
print("weight_hh grad shape:", cell.weight_hh.grad.shape)
