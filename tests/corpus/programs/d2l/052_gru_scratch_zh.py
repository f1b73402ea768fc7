# title: 门控循环单元（GRU）的从零开始实现（小型合成序列）
# expect: match

import math
import torch
from torch import nn
from torch.nn import functional as F

# 合成字符序列：周期为7的模式
pattern = 'abcabdd'
text = pattern * 40
idx_to_char = sorted(set(text))
char_to_idx = {c: i for i, c in enumerate(idx_to_char)}
corpus = torch.tensor([char_to_idx[c] for c in text])
vocab_size = len(idx_to_char)

def get_params(vocab_size, num_hiddens):
    num_inputs = num_outputs = vocab_size

    def normal(shape):
        return torch.randn(size=shape) * 0.01

    def three():
        return (normal((num_inputs, num_hiddens)),
                normal((num_hiddens, num_hiddens)),
                torch.zeros(num_hiddens))

    W_xz, W_hz, b_z = three()  # 更新门Z
    W_xr, W_hr, b_r = three()  # 重置门R
    W_xh, W_hh, b_h = three()  # 候选状态H~
    # 隐状态到输出
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs)
    # 需要对所有参数求梯度
    params = [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params

def init_gru_state(batch_size, num_hiddens):
    return (torch.zeros((batch_size, num_hiddens)), )

def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid((X @ W_xz) + (H @ W_hz) + b_z)
        R = torch.sigmoid((X @ W_xr) + (H @ W_hr) + b_r)
        H_tilda = torch.tanh((X @ W_xh) + ((R * H) @ W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = H @ W_hq + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)

def grad_clipping(params, theta):
    """把梯度的整体范数限制在theta以内"""
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm

num_hiddens, batch_size, num_steps = 32, 4, 10
params = get_params(vocab_size, num_hiddens)
loss = nn.CrossEntropyLoss()
lr, num_epochs = 2.0, 15

n = (len(corpus) - 1) // (batch_size * num_steps) * batch_size * num_steps
Xs = corpus[:n].reshape(batch_size, -1)
Ys = corpus[1:n + 1].reshape(batch_size, -1)

for epoch in range(num_epochs):
    state = init_gru_state(batch_size, num_hiddens)
    total, count = 0.0, 0
    for i in range(0, Xs.shape[1], num_steps):
        X, Y = Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]
        for s in state:
            s.detach_()
        inputs = F.one_hot(X.T, vocab_size).type(torch.float32)
        y_hat, state = gru(inputs, state, params)
        l = loss(y_hat, Y.T.reshape(-1))
        l.backward()
        grad_clipping(params, 1)
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        total += l.item() * Y.numel()
        count += Y.numel()
    if (epoch + 1) % 5 == 0:
        print(f'epoch {epoch + 1}, 困惑度 {math.exp(total / count):.2f}')

# 预测
state = init_gru_state(1, num_hiddens)
out = [char_to_idx['a']]
with torch.no_grad():
    for _ in range(13):
        x = F.one_hot(torch.tensor([[out[-1]]]), vocab_size).type(torch.float32)
        y, state = gru(x, state, params)
        out.append(int(y.argmax(dim=1)))
print('预测:', ''.join(idx_to_char[i] for i in out))
