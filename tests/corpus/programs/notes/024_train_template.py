# title: 模型训练五步法模板：数据、模型、损失函数、优化器、迭代训练（三分类合成数据）
# expect: match

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)

# 超参数
MAX_EPOCH = 6
BATCH_SIZE = 32
LR = 0.05
log_interval = 5
val_interval = 2

# ============================ 1. 数据 ============================
def make_blobs(n_per_class):
    centers = torch.tensor([[0., 3.], [3., -2.], [-3., -2.]])
    xs, ys = [], []
    for c in range(3):
        xs.append(torch.normal(centers[c].expand(n_per_class, 2), 1.2))
        ys.append(torch.full((n_per_class,), c, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)

train_x, train_y = make_blobs(100)
valid_x, valid_y = make_blobs(30)
train_loader = DataLoader(dataset=TensorDataset(train_x, train_y), batch_size=BATCH_SIZE, shuffle=True)
valid_loader = DataLoader(dataset=TensorDataset(valid_x, valid_y), batch_size=BATCH_SIZE)

# ============================ 2. 模型 ============================
net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))

# ============================ 3. 损失函数 ============================
criterion = nn.CrossEntropyLoss()

# ============================ 4. 优化器 ============================
optimizer = optim.SGD(net.parameters(), lr=LR, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)  # 每3个epoch学习率乘0.1

# ============================ 5. 迭代训练 ============================
train_curve = list()
valid_curve = list()

for epoch in range(MAX_EPOCH):

    loss_mean = 0.
    correct = 0.
    total = 0.

    net.train()
    for i, data in enumerate(train_loader):

        # 前向
        inputs, labels = data
        outputs = net(inputs)

        # 反向
        optimizer.zero_grad()
        loss = criterion(outputs, labels)
        loss.backward()

        # 更新
        optimizer.step()

        # 累计预测正确的个数
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).squeeze().sum().numpy()

        # 每 log_interval 个iteration打印一次平均loss
        loss_mean += loss.item()
        train_curve.append(loss.item())
        if (i + 1) % log_interval == 0:
            loss_mean = loss_mean / log_interval
            print("训练 epoch {}/{} iter {:0>2}/{:0>2}  loss {:.4f}  acc {:.2%}".format(
                epoch, MAX_EPOCH, i + 1, len(train_loader), loss_mean, correct / total))
            loss_mean = 0.

    scheduler.step()  # 一个epoch结束，调整学习率

    # 每 val_interval 个epoch在验证集上评估一次
    if (epoch + 1) % val_interval == 0:

        correct_val = 0.
        total_val = 0.
        loss_val = 0.
        net.eval()
        with torch.no_grad():
            for j, data in enumerate(valid_loader):
                inputs, labels = data
                outputs = net(inputs)
                loss = criterion(outputs, labels)

                _, predicted = torch.max(outputs.data, 1)
                total_val += labels.size(0)
                correct_val += (predicted == labels).squeeze().sum().numpy()

                loss_val += loss.item()

            valid_curve.append(loss_val / len(valid_loader))
            print("验证 epoch {}/{} iter {:0>2}/{:0>2}  loss {:.4f}  acc {:.2%}".format(
                epoch, MAX_EPOCH, j + 1, len(valid_loader), valid_curve[-1], correct_val / total_val))

print("训练 iteration 数:", len(train_curve), " lr:", scheduler.get_last_lr())
print("平均训练loss: {:.4f}".format(np.mean(train_curve)))
