# title: 训练脚本模板：main 函数、if __name__ == "__main__"、random_split 与 DataLoader
# expect: match
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, random_split, Subset

def get_data(n=200):
    torch.manual_seed(0)
    X = torch.randn(n, 4)
    y = (X.sum(dim=1) > 0).long()
    return TensorDataset(X, y)

def collate(batch):
    xs, ys = zip(*batch)
    return torch.stack(xs), torch.stack(ys)

def main():
    dataset = get_data()
    train_set, val_set = random_split(dataset, [160, 40], generator=torch.Generator().manual_seed(42))
    print(len(train_set), len(val_set), type(train_set).__name__)
    small = Subset(dataset, list(range(10)))
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True, drop_last=True, pin_memory=False, num_workers=0, collate_fn=collate)
    val_loader = DataLoader(val_set, batch_size=64)
    xb, yb = next(iter(train_loader))
    print(xb.shape, yb.shape, len(train_loader), len(small))
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for epoch in range(3):
        model.train()
        running = 0.0
        for i, (inputs, labels) in enumerate(train_loader):
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running += loss.item() * inputs.size(0)
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for inputs, labels in val_loader:
                _, predicted = torch.max(model(inputs).data, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        print(f"第 {epoch + 1} 轮: 训练损失 {running / len(train_set):.4f}, 验证准确率 {100 * correct / total:.1f}%")

if __name__ == "__main__":
    main()
