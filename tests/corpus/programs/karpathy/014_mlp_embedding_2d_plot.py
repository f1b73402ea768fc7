# title: Training a 2-dimensional character embedding and scatter-plotting the learned table C
# expect: match

import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

words = """amos beatriz carmen dalia edmund flora gaspar helena ilse jasper kamala
lionel marguerite nikolai octavia perpetua quinton rosamund stellan tuva
umberto viggo winifred xavi yasmin zoltan""".split()
chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

block_size = 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + '.':
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
X, Y = torch.tensor(X), torch.tensor(Y)

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 2), generator=g)
W1 = torch.randn((6, 100), generator=g) * 0.3
b1 = torch.randn(100, generator=g) * 0.01
W2 = torch.randn((100, 27), generator=g) * 0.1
b2 = torch.zeros(27)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

# indexing C with an integer tensor of shape (N, 3) gives (N, 3, 2)
print(C[5], F.one_hot(torch.tensor(5), num_classes=27).float() @ C)
print(C[X].shape, C[X].view(-1, 6).shape)

for i in range(1500):
    ix = torch.randint(0, X.shape[0], (32,), generator=g)
    h = torch.tanh(C[X[ix]].view(-1, 6) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
    if i % 300 == 0:
        print(i, round(loss.item(), 4))

with torch.no_grad():
    h = torch.tanh(C[X].view(-1, 6) @ W1 + b1)
    print('full loss', round(F.cross_entropy(h @ W2 + b2, Y).item(), 4))

# where did the vowels end up?
vowels = torch.tensor([stoi[v] for v in 'aeiou'])
others = torch.tensor([i for i in range(1, 27) if itos[i] not in 'aeiou'])
d_vow = torch.cdist(C[vowels], C[vowels]).mean().item()
d_mix = torch.cdist(C[vowels], C[others]).mean().item()
print(f'mean distance vowel-vowel {d_vow:.3f}, vowel-consonant {d_mix:.3f}')

plt.figure(figsize=(8, 8))
plt.scatter(C[:, 0].data, C[:, 1].data, s=200)
for i in range(C.shape[0]):
    plt.text(C[i, 0].item(), C[i, 1].item(), itos[i], ha="center", va="center", color='white')
plt.grid('minor')
plt.show()
