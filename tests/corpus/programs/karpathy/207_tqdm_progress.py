# title: a training loop with a tqdm progress bar (package not available)
# expect: refused (package)
import torch
from tqdm import tqdm

w = torch.zeros(1, requires_grad=True)
for i in tqdm(range(10)):
    loss = (w - 3) ** 2
    loss.backward()
