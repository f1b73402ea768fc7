# title: Hand-written Linear, BatchNorm1d and Tanh classes stacked into a deep net, with activation and update-ratio diagnostics
# expect: match

import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

words = """wilhelm astrid bartholomew clementine desmond evangeline florian gertrude
horatio isadora jeremiah katarina leopold magdalena nathaniel ottilie phineas
quirina roderick seraphina theodora ulrika valentino wolfram xanthe yevgenia zebulon""".split()
chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size, block_size = len(itos), 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + '.':
        X.append(context); Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
Xtr, Ytr = torch.tensor(X), torch.tensor(Y)

g = torch.Generator().manual_seed(2147483647)


class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None
    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out
    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)  # trained by backprop
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)  # buffers
    def __call__(self, x):
        if self.training:
            xmean, xvar = x.mean(0, keepdim=True), x.var(0, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out
    def parameters(self):
        return []


n_embd, n_hidden = 10, 100
C = torch.randn((vocab_size, n_embd), generator=g)
layers = [Linear(n_embd * block_size, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh()]
for _ in range(3):
    layers += [Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh()]
layers += [Linear(n_hidden, vocab_size, bias=False), BatchNorm1d(vocab_size)]
with torch.no_grad():
    layers[-1].gamma *= 0.1  # less confident output at init
parameters = [C] + [p for layer in layers for p in layer.parameters()]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

lossi, ud = [], []
for i in range(300):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    x = C[Xtr[ix]].view(32, -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, Ytr[ix])
    for layer in layers:
        layer.out.retain_grad()
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1
    for p in parameters:
        p.data += -lr * p.grad
    if i % 100 == 0:
        print(f'{i:7d}/{300:7d}: {loss.item():.4f}')
    lossi.append(loss.log10().item())
    with torch.no_grad():
        ud.append([((lr*p.grad).std() / p.data.std()).log10().item() for p in parameters])

for i, layer in enumerate(layers[:-1]):
    if isinstance(layer, Tanh):
        t = layer.out
        print('layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%' % (i, layer.__class__.__name__, t.mean(), t.std(), (t.abs() > 0.97).float().mean()*100))
        hy, hx = torch.histogram(t.detach(), density=True)
        plt.plot(hx[:-1], hy)
for i, p in enumerate(parameters):
    if p.ndim == 2:
        print('weight %10s | grad:data ratio %.1e | update ratio (log10) %.1f' % (tuple(p.shape), p.grad.std() / p.std(), ud[-1][i]))
plt.show()

for layer in layers:
    layer.training = False
with torch.no_grad():
    x = C[Xtr].view(Xtr.shape[0], -1)
    for layer in layers:
        x = layer(x)
    print('train loss (eval mode)', round(F.cross_entropy(x, Ytr).item(), 3))
