# title: makemore MLP: embedding table C, a tanh hidden layer, minibatch training and sampling names
# expect: match

import random
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

words = """quincy zara jaxon xena wyatt violet kai luna beatrix felix gideon hazel
ivy yara oliver penny rosalind samir theo uma nadia mateo elena dmitri cora arjun
brooke jude kiera leon maxine noor otis priya reuben sienna tobias ursula vance
willa ximena yusuf zeke amara bodhi celeste dorian esme farah greta hugo imani
joaquin kenji lorelei milo nova orion paloma quentin rhea silas talia veda""".split()

chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
print(itos)

block_size = 3  # characters of context used to predict the next one


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]  # slide the window
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8*len(words))
n2 = int(0.9*len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

for x, y in zip(Xtr[:6], Ytr[:6]):
    print(''.join(itos[ix.item()] for ix in x), '--->', itos[y.item()])

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * 0.2
b1 = torch.randn(200, generator=g) * 0.01
W2 = torch.randn((200, 27), generator=g) * 0.01
b2 = torch.randn(27, generator=g) * 0
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

lossi = []
stepi = []
for i in range(2000):
    # minibatch
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)

    # forward
    emb = C[Xtr[ix]]                      # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2                  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    # backward
    for p in parameters:
        p.grad = None
    loss.backward()

    # update with a step decay
    lr = 0.1 if i < 1500 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    stepi.append(i)
    lossi.append(loss.log10().item())
    if i % 250 == 0:
        print(f'{i:5d} {loss.item():.4f}')

plt.plot(stepi, lossi)


@torch.no_grad()
def split_loss(X, Y):
    emb = C[X]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    return F.cross_entropy(h @ W2 + b2, Y).item()


print('train', round(split_loss(Xtr, Ytr), 4))
print('dev  ', round(split_loss(Xdev, Ydev), 4))

g = torch.Generator().manual_seed(2147483647 + 10)
for _ in range(8):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]  # (1, block_size, 10)
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        probs = F.softmax(h @ W2 + b2, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    print(''.join(itos[i] for i in out))
plt.show()
