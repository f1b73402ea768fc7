# title: Dataset 与 DataLoader：自定义Dataset、batch_size、drop_last、Epoch/Iteration 的关系
# expect: match

import torch
from torch.utils.data import Dataset, DataLoader, random_split

torch.manual_seed(0)


class CoinDataset(Dataset):
    """模拟一个"硬币面额"数据集：每个样本是3x8x8的小图，标签 0 表示 1元，1 表示 100元"""

    def __init__(self, n_samples, transform=None):
        self.label_name = {"1": 0, "100": 1}
        g = torch.Generator().manual_seed(123)  # 固定数据本身
        self.labels = torch.randint(0, 2, (n_samples,), generator=g)
        self.images = torch.rand(n_samples, 3, 8, 8, generator=g) + self.labels.view(-1, 1, 1, 1) * 0.5
        self.transform = transform

    def __getitem__(self, index):
        img, label = self.images[index], int(self.labels[index])
        if self.transform is not None:
            img = self.transform(img)  # 预处理放在取样本的时候做
        return img, label

    def __len__(self):
        return len(self.labels)


def normalize(img):
    return (img - img.mean()) / (img.std() + 1e-6)


train_data = CoinDataset(87, transform=normalize)
print("样本数:", len(train_data))
img, label = train_data[0]
print(img.shape, label, "{:.4f} {:.4f}".format(img.mean().item(), img.std().item()))

# 一个epoch = 整个数据集过一遍；一个iteration = 喂一个batch
# 87个样本、batch_size=8：丢掉最后不满的那批是10次，不丢是11次
for drop_last in [True, False]:
    loader = DataLoader(dataset=train_data, batch_size=8, shuffle=True, drop_last=drop_last)
    sizes = [x.shape[0] for x, y in loader]
    print("drop_last={}: {} 个iteration, 每个batch大小 {}".format(drop_last, len(loader), sizes))

# 看一个batch里是什么
loader = DataLoader(dataset=train_data, batch_size=4, shuffle=True)
inputs, labels = next(iter(loader))
print(type(inputs).__name__, inputs.shape, labels)

# 划分训练集和验证集
train_set, valid_set = random_split(train_data, [70, 17], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(valid_set))

# 用一个小模型跑两个epoch
net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 8 * 8, 2))
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
criterion = torch.nn.CrossEntropyLoss()
for epoch in range(2):
    for i, (inputs, labels) in enumerate(DataLoader(train_set, batch_size=10, shuffle=True)):
        loss = criterion(net(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        xs = torch.stack([valid_set[k][0] for k in range(len(valid_set))])
        ys = torch.tensor([valid_set[k][1] for k in range(len(valid_set))])
        acc = (net(xs).argmax(dim=1) == ys).float().mean().item()
    print(f"epoch {epoch}: loss {loss.item():.4f}, valid acc {acc:.2%}")
