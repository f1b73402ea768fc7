# title: LSTM and GRU cells over three steps
# title_zh: LSTM 与 GRU 单元（三个时间步）
# description: nn.LSTMCell carries two states from step to step, the hidden state h and the cell state c; nn.GRUCell carries only h. Their gates are the SigmoidBackward0 nodes (three per LSTM step, two per GRU step) and their candidate values the TanhBackward0 nodes; both cells read the same input sequence.
# description_zh: nn.LSTMCell 在时间步之间传递两个状态：隐藏状态 h 和细胞状态 c；nn.GRUCell 只传递 h。它们的门就是 SigmoidBackward0 节点（LSTM 每步三个，GRU 每步两个），候选值是 TanhBackward0 节点；两个单元读取同一个输入序列。

import torch
import torch.nn as nn

torch.manual_seed(0)
lstm = nn.LSTMCell(input_size=2, hidden_size=3)
gru = nn.GRUCell(input_size=2, hidden_size=3)
xs = torch.randn(3, 1, 2)  # 3 time steps, batch of 1, 2 features
h, c = torch.zeros(1, 3), torch.zeros(1, 3)
g = torch.zeros(1, 3)
for t in range(3):
    h, c = lstm(xs[t], (h, c))
    g = gru(xs[t], g)
loss = h.sum() + g.sum()
loss.backward()
print("LSTM hidden state:", h)
print("GRU hidden state:", g)
print("weight_hh grad shapes:", lstm.weight_hh.grad.shape, gru.weight_hh.grad.shape)
