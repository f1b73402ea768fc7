# title: RNN from scratch: one_hot, state tuple, RNNModelScratch.__call__, grad clipping, perplexity
# expect: match
import math
import torch
from torch import nn
from torch.nn import functional as F

text = "the time machine by h g wells the time traveller for so it will be convenient to speak of him"
vocab = sorted(set(text))
token_to_idx = {t: i for i, t in enumerate(vocab)}
corpus = [token_to_idx[c] for c in text]
vocab_size = len(vocab)
print(F.one_hot(torch.tensor([0, 2]), vocab_size))

def get_params(vocab_size, num_hiddens, device):
    num_inputs = num_outputs = vocab_size
    def normal(shape):
        return torch.randn(size=shape, device=device) * 0.01
    W_xh = normal((num_inputs, num_hiddens))
    W_hh = normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens, device=device)
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs, device=device)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params

def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device), )

def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
        Y = torch.mm(H, W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)

class RNNModelScratch:
    def __init__(self, vocab_size, num_hiddens, device, get_params, init_state, forward_fn):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X, state):
        X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size, device):
        return self.init_state(batch_size, self.num_hiddens, device)

def grad_clipping(net, theta):
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm

device = torch.device('cpu')
num_hiddens = 32
net = RNNModelScratch(vocab_size, num_hiddens, device, get_params, init_rnn_state, rnn)
num_steps, batch_size = 5, 2
X = torch.arange(10).reshape((2, 5))
state = net.begin_state(X.shape[0], device)
Y, new_state = net(X, state)
print(Y.shape, len(new_state), new_state[0].shape)

loss = nn.CrossEntropyLoss()
lr = 1.0
for epoch in range(10):
    total, n = 0.0, 0
    state = None
    for start in range(0, len(corpus) - num_steps - 1, num_steps * batch_size):
        xs = [corpus[start + b * num_steps: start + (b + 1) * num_steps] for b in range(batch_size)]
        ys = [corpus[start + b * num_steps + 1: start + (b + 1) * num_steps + 1] for b in range(batch_size)]
        if min(len(r) for r in ys) < num_steps:
            break
        X, Y = torch.tensor(xs), torch.tensor(ys)
        if state is None:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        else:
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
        n += y.numel()
    if (epoch + 1) % 5 == 0:
        print(f'epoch {epoch + 1}, perplexity {math.exp(total / n):.1f}')
