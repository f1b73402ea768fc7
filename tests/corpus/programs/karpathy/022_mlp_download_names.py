# title: makemore MLP that first downloads names.txt from GitHub over HTTP
# expect: refused (network)

import urllib.request
import torch
import torch.nn.functional as F

url = 'https://raw.githubusercontent.com/karpathy/makemore/master/names.txt'
with urllib.request.urlopen(url) as response:
    words = response.read().decode('utf-8').splitlines()
print(len(words), max(len(w) for w in words))

chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
block_size = 3
X, Y = [], []
for w in words[:2000]:
    context = [0] * block_size
    for ch in w + '.':
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
X, Y = torch.tensor(X), torch.tensor(Y)

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * 0.1
b1 = torch.zeros(200)
W2 = torch.randn((200, 27), generator=g) * 0.01
b2 = torch.zeros(27)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

for i in range(1000):
    ix = torch.randint(0, X.shape[0], (32,), generator=g)
    h = torch.tanh(C[X[ix]].view(-1, 30) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
    if i % 200 == 0:
        print(i, loss.item())
