# title: 损失函数（一）：nn.CrossEntropyLoss 的 reduction 和 weight，nn.NLLLoss
# expect: match

import torch
import torch.nn as nn
import numpy as np

# fake data：3个样本，2个类别
inputs = torch.tensor([[1, 3], [2, 2], [1, 4]], dtype=torch.float)
target = torch.tensor([0, 1, 1], dtype=torch.long)

# ----------------------------------- CrossEntropy loss: reduction -----------------------------------
flag = 1
if flag:
    loss_f_none = nn.CrossEntropyLoss(weight=None, reduction='none')
    loss_f_sum = nn.CrossEntropyLoss(weight=None, reduction='sum')
    loss_f_mean = nn.CrossEntropyLoss(weight=None, reduction='mean')

    loss_none = loss_f_none(inputs, target)
    loss_sum = loss_f_sum(inputs, target)
    loss_mean = loss_f_mean(inputs, target)

    print("交叉熵 none/sum/mean:", loss_none, loss_sum, loss_mean)

# --------------------------------- compute by hand
flag = 1
if flag:
    idx = 0
    input_1 = inputs.detach().numpy()[idx]  # 第一个样本的两个分数
    target_1 = target.numpy()[idx]          # 它的类别

    # -x[class]
    x_class = input_1[target_1]

    # log(sum(exp(x)))
    sigma_exp_x = np.sum(list(map(np.exp, input_1)))
    log_sigma_exp_x = np.log(sigma_exp_x)

    # 两项相加就是交叉熵
    loss_1 = -x_class + log_sigma_exp_x
    print("手算第一个样本的loss:", loss_1)

# ----------------------------------- weight -----------------------------------
flag = 1
if flag:
    weights = torch.tensor([1, 3], dtype=torch.float)

    loss_f_none_w = nn.CrossEntropyLoss(weight=weights, reduction='none')
    loss_f_sum = nn.CrossEntropyLoss(weight=weights, reduction='sum')
    loss_f_mean = nn.CrossEntropyLoss(weight=weights, reduction='mean')

    loss_none_w = loss_f_none_w(inputs, target)
    loss_sum = loss_f_sum(inputs, target)
    loss_mean = loss_f_mean(inputs, target)

    print("加权重 {} 之后 none/sum/mean:".format(weights.tolist()), loss_none_w, loss_sum, loss_mean)

# --------------------------------- compute by hand：mean 是按权重加权平均
flag = 1
if flag:
    weights = torch.tensor([1, 3], dtype=torch.float)
    weights_all = np.sum(list(map(lambda x: weights.numpy()[x], target.numpy())))  # 每个样本按类别取权重再求和：1 + 3 + 3

    mean = 0
    loss_sep = loss_none_w.detach().numpy()  # 这里的每一项已经乘过权重了
    for i in range(target.shape[0]):
        tmp = loss_sep[i] / weights_all
        mean += tmp

    print("手动计算的加权mean:", mean)

# ----------------------------------- NLLLoss -----------------------------------
# NLLLoss 只是取出target位置上的值再取负号，需要自己先做 log_softmax
flag = 1
if flag:
    weights = torch.tensor([1, 1], dtype=torch.float)

    loss_f_none_w = nn.NLLLoss(weight=weights, reduction='none')
    loss_f_sum = nn.NLLLoss(weight=weights, reduction='sum')
    loss_f_mean = nn.NLLLoss(weight=weights, reduction='mean')

    loss_none_w = loss_f_none_w(inputs, target)
    loss_sum = loss_f_sum(inputs, target)
    loss_mean = loss_f_mean(inputs, target)
    print("直接把分数喂给NLLLoss:", loss_none_w, loss_sum, loss_mean)

    # CrossEntropyLoss = LogSoftmax + NLLLoss
    log_prob = nn.LogSoftmax(dim=1)(inputs)
    print(nn.NLLLoss()(log_prob, target), nn.CrossEntropyLoss()(inputs, target))
