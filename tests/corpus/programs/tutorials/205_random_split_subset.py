# title: random_split, Subset, Dataset subclass with __len__/__getitem__, DataLoader drop_last
# expect: match
import torch
from torch.utils.data import Dataset, DataLoader, random_split, Subset

class SquaresDataset(Dataset):
    def __init__(self, n):
        self.x = torch.arange(n, dtype=torch.float32).unsqueeze(1)
        self.y = self.x ** 2
    def __len__(self):
        return len(self.x)
    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]

ds = SquaresDataset(20)
train_ds, val_ds = random_split(ds, [15, 5], generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds), train_ds[0])
sub = Subset(ds, [1, 3, 5])
print([float(sub[i][1]) for i in range(len(sub))])
loader = DataLoader(train_ds, batch_size=4, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(0))
print(len(loader))
for xb, yb in loader:
    print(xb.shape, yb.view(-1))
