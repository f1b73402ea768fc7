# title: 学习率调整策略（二）：ExponentialLR 与 CosineAnnealingLR
# expect: match

import math
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(2)

LR = 0.1
max_epoch = 40

# 一个小模型，两个参数组：backbone用较小的学习率
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
x = torch.randn(32, 4)
y = x.sum(dim=1, keepdim=True)

# ------------------------------ 3 Exponential LR ------------------------------
flag = 1
if flag:
    optimizer = optim.SGD([
        {'params': model[0].parameters(), 'lr': LR * 0.1},
        {'params': model[2].parameters()},
    ], lr=LR, momentum=0.9)
    gamma = 0.9
    scheduler_lr = optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)

    for epoch in range(max_epoch):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler_lr.step()
        if epoch % 10 == 9:
            lrs = scheduler_lr.get_last_lr()
            print("epoch:{:2d} loss:{:.4f} lr:[{:.6f}, {:.6f}]".format(epoch, loss.item(), lrs[0], lrs[1]))

    # 验证: lr = base_lr * gamma ** epoch
    print("公式计算: {:.6f}".format(LR * gamma ** max_epoch))

# ------------------------------ 4 Cosine Annealing LR ------------------------------
flag = 1
if flag:
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    t_max = 10
    scheduler_lr = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=t_max, eta_min=0.)

    lr_list = []
    for epoch in range(max_epoch):
        lr_list.append(scheduler_lr.get_last_lr()[0])
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler_lr.step()

    print("CosineAnnealingLR 前21个epoch:")
    print(["%.4f" % lr for lr in lr_list[:21]])
    # 验证公式: eta_min + (LR - eta_min) * (1 + cos(pi * t / T_max)) / 2，在第一个周期内成立
    t = 3
    print("公式计算 t=3: {:.4f}, 实际: {:.4f}".format(LR * (1 + math.cos(math.pi * t / t_max)) / 2, lr_list[t]))
    print("最后的loss: {:.6f}".format(loss.item()))
