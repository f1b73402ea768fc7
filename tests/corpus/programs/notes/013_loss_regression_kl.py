# title: 损失函数（三）：L1Loss、MSELoss、SmoothL1Loss、KLDivLoss
# expect: match

import torch
import torch.nn as nn
import torch.nn.functional as F

# ------------------------------------------------- L1 loss / MSE loss ----------------------------------------------
inputs = torch.ones((2, 2))
target = torch.full((2, 2), 3.)

loss_f = nn.L1Loss(reduction='none')
loss = loss_f(inputs, target)
print("|1 - 3| 逐元素:\n{}".format(loss))

loss_f_mse = nn.MSELoss(reduction='none')
loss_mse = loss_f_mse(inputs, target)
print("(1 - 3)^2 逐元素:\n{}".format(loss_mse))
print("MSE sum:{}, mean:{}".format(nn.MSELoss(reduction='sum')(inputs, target), nn.MSELoss()(inputs, target)))

# ------------------------------------------------- Smooth L1 loss ----------------------------------------------
# |x| < 1 时是 0.5 * x^2，否则是 |x| - 0.5
inputs = torch.linspace(-3, 3, steps=13)
target = torch.zeros_like(inputs)

loss_f = nn.SmoothL1Loss(reduction='none')
loss_smooth = loss_f(inputs, target)
loss_l1 = inputs.abs()
print("inputs:", inputs)
print("SmoothL1:", loss_smooth)
print("L1:", loss_l1)

# 手动计算检查
diff = (inputs - target).abs()
manual = torch.where(diff < 1, 0.5 * diff ** 2, diff - 0.5)
print("手动计算一致:", torch.allclose(manual, loss_smooth))

# beta 参数改变分段点
print(nn.SmoothL1Loss(reduction='mean', beta=2.0)(inputs, target))

# ------------------------------------------------- KLDiv loss ----------------------------------------------
# 注意：inputs 需要是 log 概率，target 是概率
inputs = torch.tensor([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
inputs_log = torch.log(inputs)
target = torch.tensor([[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]], dtype=torch.float)

loss_f_none = nn.KLDivLoss(reduction='none')
loss_f_mean = nn.KLDivLoss(reduction='mean')
loss_f_bs_mean = nn.KLDivLoss(reduction='batchmean')

loss_none = loss_f_none(inputs_log, target)
loss_mean = loss_f_mean(inputs_log, target)
loss_bs_mean = loss_f_bs_mean(inputs_log, target)

print("KL none:\n{}\nKL mean(除以元素个数6): {}\nKL batchmean(除以样本数2): {}".format(loss_none, loss_mean, loss_bs_mean))

# compute by hand：l = y * (log(y) - x)
idx = 0
loss_1 = target[idx, 0] * (torch.log(target[idx, 0]) - inputs_log[idx, 0])
print("手算[0, 0]:", loss_1)

# batchmean 就是按样本数平均，也可以用 F.kl_div
print(loss_none.sum() / inputs.shape[0], F.kl_div(inputs_log, target, reduction='batchmean'))

# 梯度检查：MSE 对输入的梯度是 2 * (x - y) / n
x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
y = torch.tensor([1.5, 1.5, 1.5])
l = nn.MSELoss()(x, y)
l.backward()
print(x.grad, 2 * (x.detach() - y) / 3)
