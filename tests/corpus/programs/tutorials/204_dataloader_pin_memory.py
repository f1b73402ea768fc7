# title: DataLoader with pin_memory=True (as GPU tutorials write it) on a CPU
# expect: match
import torch
from torch.utils.data import DataLoader, TensorDataset

ds = TensorDataset(torch.arange(10.0).view(5, 2), torch.arange(5))
loader = DataLoader(ds, batch_size=2, pin_memory=True)
for xb, yb in loader:
    print(xb.sum().item(), yb.tolist())
