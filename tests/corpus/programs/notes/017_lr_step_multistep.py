# title: 学习率调整策略（一）：StepLR 与 MultiStepLR
# expect: match

import torch
import torch.optim as optim

torch.manual_seed(1)

LR = 0.1
iteration = 10
max_epoch = 60

# ------------------------------ fake data and optimizer ------------------------------
weights = torch.randn((1), requires_grad=True)
target = torch.zeros((1))

optimizer = optim.SGD([weights], lr=LR, momentum=0.9)

# ------------------------------ 1 Step LR ------------------------------
flag = 1
if flag:
    scheduler_lr = optim.lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.5)  # 每15个epoch学习率减半

    lr_list, epoch_list = list(), list()
    for epoch in range(max_epoch):

        lr_list.append(scheduler_lr.get_last_lr()[0])
        epoch_list.append(epoch)

        for i in range(iteration):
            loss = torch.pow((weights - target), 2)
            loss.backward()

            optimizer.step()
            optimizer.zero_grad()

        scheduler_lr.step()

    for e in [0, 14, 15, 29, 30, 45, 59]:
        print("StepLR  epoch {:>2d}: lr = {}".format(e, lr_list[e]))
    print("last_epoch:", scheduler_lr.last_epoch, " base_lrs:", scheduler_lr.base_lrs)

# ------------------------------ 2 Multi Step LR ------------------------------
flag = 1
if flag:
    weights = torch.randn((1), requires_grad=True)
    optimizer = optim.SGD([weights], lr=LR, momentum=0.9)

    milestones = [10, 25, 50]
    scheduler_lr = optim.lr_scheduler.MultiStepLR(optimizer, milestones=milestones, gamma=0.1)

    lr_list, epoch_list = list(), list()
    for epoch in range(max_epoch):

        lr_list.append(scheduler_lr.get_last_lr()[0])
        epoch_list.append(epoch)

        for i in range(iteration):
            loss = torch.pow((weights - target), 2)
            loss.backward()

            optimizer.step()
            optimizer.zero_grad()

        scheduler_lr.step()

    changes = [(e, lr_list[e]) for e in range(1, max_epoch) if lr_list[e] != lr_list[e - 1]]
    print("MultiStepLR 学习率改变的位置:")
    for e, lr in changes:
        print("  epoch {} -> lr {:.6f}".format(e, lr))
    print(f"weights 最后的值: {weights.item():.6f}")
