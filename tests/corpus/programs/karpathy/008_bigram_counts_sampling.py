# title: makemore bigrams: a 27x27 count table, smoothed probabilities, sampling names and the NLL
# expect: match

import torch
import matplotlib.pyplot as plt

words = """quincy zara jaxon xena wyatt violet kai luna beatrix felix gideon hazel
ivy yara oliver penny rosalind samir theo uma nadia mateo elena dmitri cora arjun
brooke jude kiera leon maxine noor otis priya reuben sienna tobias ursula vance
willa ximena yusuf zeke amara bodhi celeste dorian esme farah greta hugo imani
joaquin kenji lorelei milo nova orion paloma quentin rhea silas talia veda""".split()
print(len(words), words[:5])
print(min(len(w) for w in words), max(len(w) for w in words))

N = torch.zeros((27, 27), dtype=torch.int32)

chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        N[ix1, ix2] += 1

print(N[0])
print(N.sum().item(), 'bigrams')

plt.figure(figsize=(16, 16))
plt.imshow(N, cmap='Blues')
for i in range(27):
    for j in range(27):
        chstr = itos[i] + itos[j]
        plt.text(j, i, chstr, ha="center", va="bottom", color='gray')
        plt.text(j, i, N[i, j].item(), ha="center", va="top", color='gray')
plt.axis('off')

# first character distribution and one sample from it
p = N[0].float()
p = p / p.sum()
g = torch.Generator().manual_seed(2147483647)
ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
print(itos[ix])

# add-one smoothing, then normalise every row
P = (N+1).float()
P /= P.sum(1, keepdims=True)
print(P[0].sum().item() > 0.9999, P.shape)

g = torch.Generator().manual_seed(2147483647)
for i in range(8):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print(''.join(out))

# quality of the model: average negative log likelihood of the training set
log_likelihood = 0.0
n = 0
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        prob = P[stoi[ch1], stoi[ch2]]
        log_likelihood += torch.log(prob)
        n += 1
print(f'{log_likelihood=}')
nll = -log_likelihood
print(f'{nll=}')
print(f'{nll/n}')
