# title: 常见报错：在循环外计算 loss，循环里重复 backward
# expect: match
import torch
import torch.nn as nn

model = nn.Linear(2, 1)
x = torch.randn(10, 2)
y = torch.randn(10, 1)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss = criterion(model(x), y)
for epoch in range(5):
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"第 {epoch} 轮, 损失 {loss.item():.4f}")
