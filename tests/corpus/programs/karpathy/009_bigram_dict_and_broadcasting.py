# title: Counting bigrams in a plain dict with start/end tokens, then the keepdim broadcasting trap
# expect: match

import torch

words = ['marisol', 'ezra', 'juno', 'kit', 'anouk', 'bea', 'cyrus', 'delphine',
         'emil', 'fern', 'gus', 'hollis', 'inez', 'jovan', 'kasimir', 'lux',
         'mabel', 'nico', 'odette', 'pim', 'quade', 'roxy', 'sol', 'tamsin',
         'ulla', 'wren', 'yves', 'zuri', 'vera', 'ada']

b = {}
for w in words:
    chs = ['<S>'] + list(w) + ['<E>']
    for ch1, ch2 in zip(chs, chs[1:]):
        bigram = (ch1, ch2)
        b[bigram] = b.get(bigram, 0) + 1

print(len(b), 'distinct bigrams')
top = sorted(b.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
for (ch1, ch2), count in top:
    print(f'{ch1:>3} {ch2:<3} {count}')

# the same counts in a tensor, with '.' standing for both special tokens
chars = sorted(list(set(''.join(words))))
stoi = {s: i+1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
V = len(stoi)
print(V, ''.join(chars))

N = torch.zeros((V, V), dtype=torch.int32)
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
print(N[stoi['a']].tolist())

P = (N + 1).float()
print(P.shape)
print(P.sum(1, keepdim=True).shape)  # column vector: divides each row by its own total
print(P.sum(1).shape)                 # flat vector: broadcasts as a row, a silent bug

good = P / P.sum(1, keepdim=True)
bad = P / P.sum(1)
print('rows sum to one (keepdim=True): ', torch.allclose(good.sum(1), torch.ones(V)))
print('rows sum to one (keepdim=False):', torch.allclose(bad.sum(1), torch.ones(V)))
print('columns of the buggy one sum to one:', torch.allclose(bad.sum(0), torch.ones(V)))

# most likely successor for each vowel
for v in 'aeiou':
    nxt = good[stoi[v]].argmax().item()
    print(v, '->', itos[nxt], round(good[stoi[v], nxt].item(), 3))
