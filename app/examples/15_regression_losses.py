# title: MSELoss and L1Loss
# title_zh: MSELoss 与 L1Loss
# description: MSELoss is a single MseLossBackward0 node, while L1Loss is built from SubBackward0, AbsBackward0 and a MeanBackward0 ('mean') or SumBackward0 ('sum').
# description_zh: MSELoss 是单个 MseLossBackward0 节点，而 L1Loss 由 SubBackward0、AbsBackward0 以及 MeanBackward0（'mean'）或 SumBackward0（'sum'）组成。

import torch
import torch.nn as nn

pred = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
target = torch.tensor([1.5, 2.0, 3.0])
mse_mean = nn.MSELoss(reduction="mean")(pred, target)
mse_sum = nn.MSELoss(reduction="sum")(pred, target)
l1_mean = nn.L1Loss(reduction="mean")(pred, target)
l1_sum = nn.L1Loss(reduction="sum")(pred, target)
print("MSE:", mse_mean.item(), mse_sum.item())
print("L1:", l1_mean.item(), l1_sum.item())
loss = mse_mean + l1_mean
loss.backward()
print(pred.grad)
