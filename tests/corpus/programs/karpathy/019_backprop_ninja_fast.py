# title: Backprop through cross_entropy and batch norm in one line each, then training with only manual gradients
# expect: match

import torch
import torch.nn.functional as F

words = """marisol ezra juno kit anouk bea cyrus delphine emil fern gus hollis inez
jovan kasimir lux mabel nico odette pim quade roxy sol tamsin ulla wren yves
zuri vera ada benedikt calla dov elspeth faye""".split()
stoi = {s: i+1 for i, s in enumerate(sorted(set(''.join(words))))}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size, block_size = len(stoi), 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + '.':
        X.append(context); Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
Xtr, Ytr = torch.tensor(X), torch.tensor(Y)
print(Xtr.shape, vocab_size)

n_embd, n_hidden = 10, 64
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
bngain = torch.randn((1, n_hidden), generator=g)*0.1 + 1.0
bnbias = torch.randn((1, n_hidden), generator=g)*0.1
parameters = [C, W1, b1, W2, b2, bngain, bnbias]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True


def forward(Xb, Yb):
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmean = hprebn.mean(0, keepdim=True)
    bnvar = hprebn.var(0, keepdim=True, unbiased=True)
    bnvar_inv = (bnvar + 1e-5)**-0.5
    bnraw = (hprebn - bnmean) * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    return F.cross_entropy(logits, Yb), (emb, embcat, bnvar_inv, bnraw, h, logits)


def manual_backward(Xb, Yb, cache):
    emb, embcat, bnvar_inv, bnraw, h, logits = cache
    n = Xb.shape[0]
    dlogits = F.softmax(logits, 1)           # cross entropy in one go
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnbias = dhpreact.sum(0, keepdim=True)
    # batch norm in one go
    dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    dC.index_add_(0, Xb.view(-1), demb.view(-1, n_embd))
    return [dC, dW1, db1, dW2, db2, dbngain, dbnbias]


# check once against autograd
ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
loss, cache = forward(Xtr[ix], Ytr[ix])
for p in parameters:
    p.grad = None
loss.backward()
grads = manual_backward(Xtr[ix], Ytr[ix], [t.detach() for t in cache])
for p, gr in zip(parameters, grads):
    print(f'{str(tuple(p.shape)):10s} | approximate: {str(torch.allclose(gr, p.grad, atol=1e-7)):5s}')

# now train with the manual gradients only
lossi = []
with torch.no_grad():
    for i in range(600):
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]
        loss, cache = forward(Xb, Yb)
        grads = manual_backward(Xb, Yb, cache)
        lr = 0.1 if i < 450 else 0.01
        for p, grad in zip(parameters, grads):
            p.data += -lr * grad
        if i % 100 == 0:
            print(f'{i:7d}/{600:7d}: {loss.item():.4f}')
        lossi.append(loss.log10().item())

# batch norm statistics of the whole set, then sample
with torch.no_grad():
    hpreact = C[Xtr].view(Xtr.shape[0], -1) @ W1 + b1
    bnmean, bnvar = hpreact.mean(0, keepdim=True), hpreact.var(0, keepdim=True, unbiased=True)
    g = torch.Generator().manual_seed(2147483647 + 10)
    for _ in range(5):
        out, context = [], [0] * block_size
        while True:
            hpre = C[torch.tensor([context])].view(1, -1) @ W1 + b1
            h = torch.tanh(bngain * (hpre - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias)
            ix = torch.multinomial(F.softmax(h @ W2 + b2, dim=1), num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            out.append(ix)
            if ix == 0:
                break
        print(''.join(itos[i] for i in out))
