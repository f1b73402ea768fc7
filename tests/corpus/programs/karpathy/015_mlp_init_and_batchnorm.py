# title: Fixing the initial loss, Kaiming-scaled W1, and a hand-written batch norm with running statistics
# expect: match

import random
import torch
import torch.nn.functional as F

words = """quincy zara jaxon xena wyatt violet kai luna beatrix felix gideon hazel
ivy yara oliver penny rosalind samir theo uma nadia mateo elena dmitri cora arjun
brooke jude kiera leon maxine noor otis priya reuben sienna tobias ursula vance
willa ximena yusuf zeke amara bodhi celeste dorian esme farah greta hugo imani
joaquin kenji lorelei milo nova orion paloma quentin rhea silas talia veda""".split()
chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
vocab_size = len(stoi)
block_size = 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X), torch.tensor(Y)


random.seed(42)
random.shuffle(words)
n1 = int(0.9*len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:])

# with a uniform guess the loss would be -log(1/27)
print('expected initial loss', round(-torch.tensor(1/27.0).log().item(), 4))

n_embd, n_hidden = 10, 200
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b2 = torch.randn(vocab_size, generator=g) * 0
bngain = torch.ones((1, n_hidden))
bnbias = torch.zeros((1, n_hidden))
bnmean_running = torch.zeros((1, n_hidden))
bnstd_running = torch.ones((1, n_hidden))

parameters = [C, W1, W2, b2, bngain, bnbias]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

max_steps, batch_size = 1000, 32
for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]

    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1  # no bias: batch norm removes it anyway
    bnmeani = hpreact.mean(0, keepdim=True)
    bnstdi = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
        bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
        bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)

    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 750 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    if i % 200 == 0:
        print(f'{i:7d}/{max_steps:7d}: {loss.item():.4f}')
        print(f'   saturated tanh units: {(h.abs() > 0.99).float().mean().item():.3f}')

# calibrate the batch norm statistics on the whole training set
with torch.no_grad():
    hpreact = C[Xtr].view(Xtr.shape[0], -1) @ W1
    bnmean = hpreact.mean(0, keepdim=True)
    bnstd = hpreact.std(0, keepdim=True)
print('running vs calibrated mean close:', (bnmean - bnmean_running).abs().mean().item() < 0.5)


@torch.no_grad()
def split_loss(split):
    x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev)}[split]
    hpreact = C[x].view(x.shape[0], -1) @ W1
    hpreact = bngain * (hpreact - bnmean_running) / bnstd_running + bnbias
    logits = torch.tanh(hpreact) @ W2 + b2
    print(split, round(F.cross_entropy(logits, y).item(), 4))


split_loss('train')
split_loss('val')
