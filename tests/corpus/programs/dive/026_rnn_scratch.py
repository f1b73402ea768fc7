# title: 6.4 循环神经网络的从零开始实现（小型合成歌词语料）
# expect: match

import math
import numpy as np
import torch
from torch import nn

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

# 不读取周杰伦歌词数据集，自己写一小段文字当作语料
corpus_chars = ('春天的风吹过山岗 我在河边等你回来 夏天的雨落在窗前 我在灯下写信给你 ' * 3).replace(' ', '')
idx_to_char = sorted(set(corpus_chars))  # 排序一下，保证每次运行字典顺序一样
char_to_idx = dict([(char, i) for i, char in enumerate(idx_to_char)])
vocab_size = len(char_to_idx)
corpus_indices = [char_to_idx[char] for char in corpus_chars]
print('vocab_size:', vocab_size, 'corpus length:', len(corpus_indices))

def one_hot(x, n_class, dtype=torch.float32):
    # 输入是一维的下标，输出每行一个one-hot向量
    res = torch.zeros(x.shape[0], n_class, dtype=dtype, device=x.device)
    res.scatter_(1, x.long().view(-1, 1), 1)
    return res

def to_onehot(X, n_class):
    # 按时间步拆开，返回长度为seq_len的列表
    return [one_hot(X[:, i], n_class) for i in range(X.shape[1])]

inputs = to_onehot(torch.arange(8).view(2, 4), vocab_size)
print(len(inputs), inputs[0].shape)

# 参数初始化
num_inputs, num_hiddens, num_outputs = vocab_size, 64, vocab_size

def get_params():
    def _one(shape):
        ts = torch.tensor(np.random.normal(0, 0.01, size=shape), device=device, dtype=torch.float32)
        return torch.nn.Parameter(ts, requires_grad=True)
    W_xh = _one((num_inputs, num_hiddens))
    W_hh = _one((num_hiddens, num_hiddens))
    b_h = torch.nn.Parameter(torch.zeros(num_hiddens, device=device, requires_grad=True))
    W_hq = _one((num_hiddens, num_outputs))
    b_q = torch.nn.Parameter(torch.zeros(num_outputs, device=device, requires_grad=True))
    return nn.ParameterList([W_xh, W_hh, b_h, W_hq, b_q])

def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device), )

def rnn(inputs, state, params):
    # 逐个时间步更新隐藏状态H，并计算输出
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)

def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        # 上一步的字符作为这一步的输入
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        # 前缀还没喂完就继续喂前缀，喂完了就取概率最大的字符
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])

def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    if norm > theta:
        for param in params:
            param.grad.data *= (theta / norm)

def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):  # 相邻采样
    corpus_indices = torch.tensor(corpus_indices, dtype=torch.float32, device=device)
    batch_len = len(corpus_indices) // batch_size
    indices = corpus_indices[0: batch_size * batch_len].view(batch_size, batch_len)
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        i = i * num_steps
        yield indices[:, i: i + num_steps], indices[:, i + 1: i + num_steps + 1]

params = get_params()
print(predict_rnn('春天', 6, rnn, params, init_rnn_state, num_hiddens, vocab_size, device, idx_to_char, char_to_idx))

num_epochs, num_steps, batch_size, lr, clipping_theta = 60, 6, 4, 1e2, 1e-2
loss = nn.CrossEntropyLoss()
for epoch in range(num_epochs):
    state = init_rnn_state(batch_size, num_hiddens, device)  # 相邻采样：每个epoch开始时才重置隐藏状态
    l_sum, n = 0.0, 0
    for X, Y in data_iter_consecutive(corpus_indices, batch_size, num_steps, device):
        for s in state:
            s.detach_()  # 把隐藏状态从上一段的计算图上摘下来
        inputs = to_onehot(X, vocab_size)
        (outputs, state) = rnn(inputs, state, params)
        outputs = torch.cat(outputs, dim=0)
        y = torch.transpose(Y, 0, 1).contiguous().view(-1)
        l = loss(outputs, y.long())
        if params[0].grad is not None:
            for param in params:
                param.grad.data.zero_()
        l.backward()
        grad_clipping(params, clipping_theta, device)  # 裁剪梯度
        for param in params:
            param.data -= lr * param.grad  # loss已经是平均值了，这里不再除以batch_size
        l_sum += l.item() * y.shape[0]
        n += y.shape[0]
    if (epoch + 1) % 20 == 0:
        print('epoch %d, perplexity %f' % (epoch + 1, math.exp(l_sum / n)))
        for prefix in ['春天', '夏天']:
            print(' -', predict_rnn(prefix, 8, rnn, params, init_rnn_state, num_hiddens, vocab_size, device, idx_to_char, char_to_idx))
