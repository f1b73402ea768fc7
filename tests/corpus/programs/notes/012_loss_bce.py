# title: 损失函数（二）：nn.BCELoss 与 nn.BCEWithLogitsLoss（含 pos_weight）
# expect: match

import torch
import torch.nn as nn
import numpy as np

# ----------------------------------- BCE Loss -----------------------------------
flag = True
if flag:
    inputs = torch.tensor([[2, 1], [1, 3], [3, 2], [0, 4]], dtype=torch.float)
    target = torch.tensor([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=torch.float)

    target_bce = target

    # BCELoss 的输入必须是概率，要先经过 sigmoid
    inputs = torch.sigmoid(inputs)

    weights = torch.tensor([1, 1], dtype=torch.float)

    loss_f_none_w = nn.BCELoss(weight=weights, reduction='none')
    loss_f_sum = nn.BCELoss(weight=weights, reduction='sum')
    loss_f_mean = nn.BCELoss(weight=weights, reduction='mean')

    loss_none_w = loss_f_none_w(inputs, target_bce)
    loss_sum = loss_f_sum(inputs, target_bce)
    loss_mean = loss_f_mean(inputs, target_bce)

    print("BCELoss none/sum/mean:", loss_none_w, loss_sum, loss_mean)

# --------------------------------- compute by hand
flag = True
if flag:
    idx = 0
    x_i = inputs.detach().numpy()[idx, idx]
    y_i = target.numpy()[idx, idx]

    # 公式：-[y*log(p) + (1-y)*log(1-p)]，y只有0和1，所以分情况算
    l_i = -y_i * np.log(x_i) if y_i else -(1 - y_i) * np.log(1 - x_i)

    print("sigmoid之后的概率:", inputs)
    print("手算 [0, 0] 位置的loss:", l_i)

# ----------------------------------- BCE with Logits Loss -----------------------------------
flag = True
if flag:
    inputs = torch.tensor([[2, 1], [1, 3], [3, 2], [0, 4]], dtype=torch.float)
    target = torch.tensor([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=torch.float)

    # 注意：BCEWithLogitsLoss 里面自带了 sigmoid，不要再对 inputs 做 sigmoid
    weights = torch.tensor([1, 1], dtype=torch.float)

    loss_f_none_w = nn.BCEWithLogitsLoss(weight=weights, reduction='none')
    loss_f_sum = nn.BCEWithLogitsLoss(weight=weights, reduction='sum')
    loss_f_mean = nn.BCEWithLogitsLoss(weight=weights, reduction='mean')

    loss_none_w = loss_f_none_w(inputs, target)
    loss_sum = loss_f_sum(inputs, target)
    loss_mean = loss_f_mean(inputs, target)

    print("BCEWithLogitsLoss none/sum/mean:", loss_none_w, loss_sum, loss_mean)

    # 和 sigmoid + BCELoss 的结果一致
    print(torch.allclose(loss_mean, nn.BCELoss()(torch.sigmoid(inputs), target)))

# --------------------------------- pos weight：正样本的loss乘以pos_weight
flag = True
if flag:
    inputs = torch.tensor([[2, 1], [1, 3], [3, 2], [0, 4]], dtype=torch.float)
    target = torch.tensor([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=torch.float)

    weights = torch.tensor([1], dtype=torch.float)
    pos_w = torch.tensor([2], dtype=torch.float)

    loss_f_none_w = nn.BCEWithLogitsLoss(weight=weights, reduction='none', pos_weight=pos_w)
    loss_f_sum = nn.BCEWithLogitsLoss(weight=weights, reduction='sum', pos_weight=pos_w)
    loss_f_mean = nn.BCEWithLogitsLoss(weight=weights, reduction='mean', pos_weight=pos_w)

    loss_none_w = loss_f_none_w(inputs, target)
    loss_sum = loss_f_sum(inputs, target)
    loss_mean = loss_f_mean(inputs, target)

    print("pos_weight={}:".format(pos_w.item()), loss_none_w, loss_sum, loss_mean)

    # 正样本位置是原来的2倍，负样本位置不变
    base = nn.BCEWithLogitsLoss(reduction='none')(inputs, target)
    print(loss_none_w / base)
