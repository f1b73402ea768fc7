# title: 6.7-6.8 门控循环单元(GRU)从零实现 与 nn.LSTM
# expect: match

import numpy as np
import torch
from torch import nn

device = torch.device('cpu')
num_inputs, num_hiddens, num_outputs = 8, 16, 8


def get_params():
    def _one(shape):
        ts = torch.tensor(np.random.normal(0, 0.01, size=shape), device=device, dtype=torch.float32)
        return torch.nn.Parameter(ts, requires_grad=True)

    def _three():
        return (_one((num_inputs, num_hiddens)),
                _one((num_hiddens, num_hiddens)),
                torch.nn.Parameter(torch.zeros(num_hiddens, device=device, dtype=torch.float32), requires_grad=True))

    W_xz, W_hz, b_z = _three()  # 更新门参数
    W_xr, W_hr, b_r = _three()  # 重置门参数
    W_xh, W_hh, b_h = _three()  # 候选隐藏状态的参数

    # 输出层参数
    W_hq = _one((num_hiddens, num_outputs))
    b_q = torch.nn.Parameter(torch.zeros(num_outputs, device=device, dtype=torch.float32), requires_grad=True)
    return nn.ParameterList([W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q])


def init_gru_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device), )


def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(H, W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(H, W_hr) + b_r)
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)


# 任务：输入一个长度为6的one-hot序列，预测下一个位置的字符（循环移位规律 k -> k+1）
seq = torch.arange(7) % num_inputs
inputs = [torch.eye(num_inputs)[seq[t]].view(1, -1) for t in range(6)]
target = seq[1:7]

params = get_params()
loss = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(params, lr=0.05)
for epoch in range(60):
    state = init_gru_state(1, num_hiddens, device)
    outputs, state = gru(inputs, state, params)
    l = loss(torch.cat(outputs, dim=0), target)
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    if (epoch + 1) % 20 == 0:
        print('epoch %d, loss %.4f' % (epoch + 1, l.item()))

pred = torch.cat(gru(inputs, init_gru_state(1, num_hiddens, device), params)[0]).argmax(dim=1)
print('pred:', pred.tolist(), 'target:', target.tolist())

# 简洁实现：nn.LSTM，状态是(h, c)元组
lstm_layer = nn.LSTM(input_size=num_inputs, hidden_size=num_hiddens)
X = torch.stack(inputs)  # 形状 (时间步, 批量, 输入维度)
Y, (h, c) = lstm_layer(X, None)
print(Y.shape, h.shape, c.shape)
for name, p in lstm_layer.named_parameters():
    print(name, tuple(p.shape))

gru_layer = nn.GRU(input_size=num_inputs, hidden_size=num_hiddens, num_layers=2)
Y, h = gru_layer(X)
print(Y.shape, h.shape)
