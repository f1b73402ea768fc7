# title: 6.5 循环神经网络的简洁实现（nn.RNN + RNNModel）
# expect: match

import math
import torch
from torch import nn

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

# 一小段自编语料
corpus_chars = '小船摇啊摇 摇到外婆桥 外婆叫我好宝宝 糖一包 果一包 '.replace(' ', '') * 4
idx_to_char = sorted(set(corpus_chars))
char_to_idx = {char: i for i, char in enumerate(idx_to_char)}
vocab_size = len(idx_to_char)
corpus_indices = [char_to_idx[c] for c in corpus_chars]
print(vocab_size, len(corpus_indices))

num_hiddens = 32
rnn_layer = nn.RNN(input_size=vocab_size, hidden_size=num_hiddens)

num_steps = 5
batch_size = 2
state = None
X = torch.rand(num_steps, batch_size, vocab_size)
Y, state_new = rnn_layer(X, state)
print(Y.shape, len(state_new), state_new[0].shape)


def to_onehot(X, n_class):
    return [torch.nn.functional.one_hot(X[:, i].long(), n_class).float() for i in range(X.shape[1])]


class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size):
        super(RNNModel, self).__init__()
        self.rnn = rnn_layer
        self.hidden_size = rnn_layer.hidden_size * (2 if rnn_layer.bidirectional else 1)
        self.vocab_size = vocab_size
        self.dense = nn.Linear(self.hidden_size, vocab_size)
        self.state = None

    def forward(self, inputs, state):  # inputs 的形状是 (batch, seq_len)
        # 先变成one-hot
        X = to_onehot(inputs, self.vocab_size)  # 得到的是一个list，stack成(seq_len, batch, vocab)
        Y, self.state = self.rnn(torch.stack(X), state)
        # 把所有时间步拼在一起，再过全连接层
        output = self.dense(Y.view(-1, Y.shape[-1]))
        return output, self.state


def predict_rnn_pytorch(prefix, num_chars, model, vocab_size, device, idx_to_char, char_to_idx):
    state = None
    output = [char_to_idx[prefix[0]]]  # output 里存着前缀和后面生成的字符
    for t in range(num_chars + len(prefix) - 1):
        X = torch.tensor([output[-1]], device=device).view(1, 1)
        (Y, state) = model(X, state)  # 参数都在model里，不用再传
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y.argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])


model = RNNModel(rnn_layer, vocab_size).to(device)
print(model)
print(predict_rnn_pytorch('外婆', 5, model, vocab_size, device, idx_to_char, char_to_idx))


def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
    corpus_indices = torch.tensor(corpus_indices, dtype=torch.float32, device=device)
    batch_len = len(corpus_indices) // batch_size
    indices = corpus_indices[0: batch_size * batch_len].view(batch_size, batch_len)
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        i = i * num_steps
        yield indices[:, i: i + num_steps], indices[:, i + 1: i + num_steps + 1]


num_epochs, lr, clipping_theta = 24, 2e-2, 1e-2
loss = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
state = None
for epoch in range(num_epochs):
    l_sum, n = 0.0, 0
    for X, Y in data_iter_consecutive(corpus_indices, batch_size, num_steps, device):
        if state is not None:
            # 把隐藏状态从上一段的计算图上摘下来
            if isinstance(state, tuple):  # LSTM 的状态是 (h, c) 两个张量
                state = (state[0].detach(), state[1].detach())
            else:
                state = state.detach()
        (output, state) = model(X, state)
        y = torch.transpose(Y, 0, 1).contiguous().view(-1)
        l = loss(output, y.long())
        optimizer.zero_grad()
        l.backward()
        # 梯度裁剪
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=clipping_theta * 100)
        optimizer.step()
        l_sum += l.item() * y.shape[0]
        n += y.shape[0]
    try:
        perplexity = math.exp(l_sum / n)
    except OverflowError:
        perplexity = float('inf')
    if (epoch + 1) % 12 == 0:
        print('epoch %d, perplexity %f' % (epoch + 1, perplexity))
        print(' -', predict_rnn_pytorch('外婆', 8, model, vocab_size, device, idx_to_char, char_to_idx))
