# title: RNN from scratch on a tiny character corpus: one-hot, RNN cell, gradient clipping
# expect: match

import math
import random
import torch
from torch import nn
from torch.nn import functional as F

text = ('the quick brown fox jumps over the lazy dog and the dog sleeps '
        'while the fox runs into the brown woods ') * 4
idx_to_char = sorted(set(text))
char_to_idx = {c: i for i, c in enumerate(idx_to_char)}
corpus = [char_to_idx[c] for c in text]
vocab_size = len(idx_to_char)
print('vocab size:', vocab_size, 'corpus length:', len(corpus))

X = torch.arange(10).reshape((2, 5))
print(F.one_hot(X.T, vocab_size).shape)

def seq_data_iter_sequential(corpus, batch_size, num_steps):
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens])
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens])
    Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i: i + num_steps], Ys[:, i: i + num_steps]

def get_params(vocab_size, num_hiddens):
    num_inputs = num_outputs = vocab_size

    def normal(shape):
        return torch.randn(size=shape) * 0.01
    # hidden layer, then output layer
    W_xh, W_hh = normal((num_inputs, num_hiddens)), normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens)
    W_hq, b_q = normal((num_hiddens, num_outputs)), torch.zeros(num_outputs)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params

def init_rnn_state(batch_size, num_hiddens):
    return (torch.zeros((batch_size, num_hiddens)), )
def rnn(inputs, state, params):
    # inputs: (num_steps, batch_size, vocab_size)
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
        Y = torch.mm(H, W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)
class RNNModelScratch:
    def __init__(self, vocab_size, num_hiddens, get_params, init_state, forward_fn):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X, state):
        X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size):
        return self.init_state(batch_size, self.num_hiddens)

net = RNNModelScratch(vocab_size, 64, get_params, init_rnn_state, rnn)
state = net.begin_state(X.shape[0])
Y, new_state = net(X, state)
print(Y.shape, len(new_state), new_state[0].shape)

def predict(prefix, num_preds, net):
    """Warm up on the prefix, then greedily extend it by num_preds characters."""
    state = net.begin_state(batch_size=1)
    outputs = [char_to_idx[prefix[0]]]
    get_input = lambda: torch.tensor([outputs[-1]]).reshape((1, 1))
    for y in prefix[1:]:  # warm-up
        _, state = net(get_input(), state)
        outputs.append(char_to_idx[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return ''.join([idx_to_char[i] for i in outputs])

def grad_clipping(net, theta):
    """Rescale all gradients so their joint norm is at most theta."""
    params = net.params
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm

loss = nn.CrossEntropyLoss()
num_epochs, lr, batch_size, num_steps = 25, 1.0, 8, 10
for epoch in range(num_epochs):
    state, total, count = None, 0.0, 0
    for X, Y in seq_data_iter_sequential(corpus, batch_size, num_steps):
        if state is None:
            state = net.begin_state(batch_size=X.shape[0])
        else:  # cut the graph at the batch boundary
            for s in state:
                s.detach_()
        y = Y.T.reshape(-1)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        l.backward()
        grad_clipping(net, 1)
        with torch.no_grad():
            for param in net.params:
                param -= lr * param.grad
                param.grad.zero_()
        total += l.item() * y.numel()
        count += y.numel()
    if (epoch + 1) % 5 == 0:
        print(f'epoch {epoch + 1}, perplexity {math.exp(total / count):.2f}')

print(predict('the ', 20, net))
