# title: one optimizer over two models' parameters with itertools.chain
# expect: match
import itertools
import torch
import torch.nn as nn

encoder = nn.Linear(4, 2)
decoder = nn.Linear(2, 4)
opt = torch.optim.Adam(itertools.chain(encoder.parameters(), decoder.parameters()), lr=0.01)
x = torch.randn(8, 4)
for step in range(20):
    opt.zero_grad()
    loss = ((decoder(encoder(x)) - x) ** 2).mean()
    loss.backward()
    opt.step()
print(round(loss.item(), 4))
print(list(itertools.islice(itertools.chain([1], [2, 3]), 2)))
