# title: 学习率调整策略（三）：ReduceLROnPlateau 与 LambdaLR
# expect: match

import torch
import torch.optim as optim
import numpy as np

torch.manual_seed(1)

LR = 0.1
iteration = 10
max_epoch = 50

weights = torch.randn((1), requires_grad=True)
target = torch.zeros((1))

optimizer = optim.SGD([weights], lr=LR, momentum=0.9)

# ------------------------------ 5 Reduce LR On Plateau ------------------------------
flag = 1
if flag:
    loss_value = 0.6

    factor = 0.5
    mode = "min"
    patience = 8
    cooldown = 5
    min_lr = 1e-3

    scheduler_lr = optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=factor, mode=mode, patience=patience,
                                                        cooldown=cooldown, min_lr=min_lr)

    for epoch in range(max_epoch):
        for i in range(iteration):
            # 这里省略真正的训练
            optimizer.step()
            optimizer.zero_grad()

        if epoch == 12:
            loss_value = 0.45  # 假装loss只在第12个epoch下降了一次，之后再也不降

        scheduler_lr.step(loss_value)
        if epoch % 5 == 0 or epoch == max_epoch - 1:
            print("第{:>2d}个epoch, loss={}, lr={}".format(epoch, loss_value, optimizer.param_groups[0]['lr']))

    print("num_bad_epochs: {}, best: {}".format(scheduler_lr.num_bad_epochs, scheduler_lr.best))

# ------------------------------ 6 lambda ------------------------------
flag = 1
if flag:
    lr_init = 0.1

    weights_1 = torch.randn((4, 2, 3, 3))
    weights_2 = torch.ones((3, 3))

    optimizer = optim.SGD([
        {'params': [weights_1]},
        {'params': [weights_2]}], lr=lr_init)

    lambda1 = lambda epoch: 0.5 ** (epoch // 15)  # 每15个epoch减半
    lambda2 = lambda epoch: 0.9 ** epoch          # 指数衰减

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=[lambda1, lambda2])

    lr_list, epoch_list = list(), list()
    for epoch in range(max_epoch):
        for i in range(iteration):
            # 这里省略真正的训练
            optimizer.step()
            optimizer.zero_grad()

        scheduler.step()

        lr_list.append(scheduler.get_last_lr())
        epoch_list.append(epoch)

        if epoch % 10 == 9:
            print('第{}个epoch之后 两组的lr: {}'.format(epoch + 1, ["%.6f" % lr for lr in scheduler.get_last_lr()]))

    lr_arr = np.array(lr_list)
    print(lr_arr.shape, "第一组最小lr: {:.6f}, 第二组最小lr: {:.6f}".format(lr_arr[:, 0].min(), lr_arr[:, 1].min()))
