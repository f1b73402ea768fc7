# title: The bigram model as a one-layer net: one-hot inputs, softmax by hand, per-example NLL
# expect: match

import torch
import torch.nn.functional as F

words = ['serafina', 'bo', 'kwame', 'lyra', 'jun', 'pax', 'vida', 'quill', 'zeno', 'hext']
chars = sorted(set(''.join(words)))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab = len(stoi)

# training pairs (x, y) from the first word only
xs, ys = [], []
for w in words[:1]:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        print(ch1, ch2)
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
print(xs)
print(ys)

xenc = F.one_hot(xs, num_classes=vocab).float()
print(xenc.shape, xenc.dtype)

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((vocab, vocab), generator=g)

logits = xenc @ W                              # log-counts
counts = logits.exp()                          # like N
probs = counts / counts.sum(1, keepdims=True)  # next-character distribution
print(probs.shape)

nlls = torch.zeros(len(xs))
for i in range(len(xs)):
    x = xs[i].item()
    y = ys[i].item()
    print('--------')
    print(f'bigram example {i+1}: {itos[x]}{itos[y]} (indexes {x},{y})')
    print('input to the neural net:', x)
    print('label (actual next character):', y)
    p = probs[i, y]
    print('probability assigned by the net to the correct character:', round(p.item(), 6))
    logp = torch.log(p)
    print('log likelihood:', round(logp.item(), 5))
    nll = -logp
    print('negative log likelihood:', round(nll.item(), 5))
    nlls[i] = nll

print('=========')
print('average negative log likelihood, i.e. loss =', nlls.mean().item())

# the vectorised version picks every label's probability at once
loss = -probs[torch.arange(len(xs)), ys].log().mean()
print(torch.allclose(loss, nlls.mean()))
print(torch.allclose(probs, F.softmax(logits, dim=1)))
