# title: Finding a good learning rate: sweep 10**linspace(-3, 0) over 1000 steps and plot loss against the exponent
# expect: match

import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

words = """harriet ignatius juniper kofi lavinia marlowe nellie oakley percival
quinta rafferty sabine tindra ulysses valentina wilhelmina xander yolanda zinnia
ambrose bettina caspian dagny everett fiorella gulliver honora""".split()
chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0

block_size = 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + '.':
        ix = stoi[ch]
        X.append(context)
        Y.append(ix)
        context = context[1:] + [ix]
X = torch.tensor(X)
Y = torch.tensor(Y)
print(X.shape, X.dtype, Y.shape, Y.dtype)

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 2), generator=g)
W1 = torch.randn((6, 100), generator=g)
b1 = torch.randn(100, generator=g)
W2 = torch.randn((100, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre

lri = []
lossi = []
for i in range(1000):
    ix = torch.randint(0, X.shape[0], (32,), generator=g)

    emb = C[X[ix]]  # (32, 3, 2)
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Y[ix])

    for p in parameters:
        p.grad = None
    loss.backward()

    lr = lrs[i]
    for p in parameters:
        p.data += -lr * p.grad

    lri.append(lre[i].item())
    lossi.append(loss.item())

# smooth the noisy curve with a running mean over 50 steps before looking for the dip
smooth = torch.tensor(lossi).unfold(0, 50, 1).mean(1)
best = smooth.argmin().item() + 25
print(f'lowest smoothed loss {smooth.min().item():.3f} near exponent {lri[best]:.2f}, lr {10**lri[best]:.3f}')
for i in range(0, 1000, 200):
    print(f'exponent {lri[i]:+.2f}  loss {lossi[i]:.3f}')

plt.plot(lri, lossi)
plt.xlabel('log10 learning rate')
plt.show()
