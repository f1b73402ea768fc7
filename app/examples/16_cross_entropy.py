# title: CrossEntropyLoss = LogSoftmax + NLLLoss
# title_zh: 交叉熵损失 = LogSoftmax + NLLLoss
# description: Both losses build the same LogSoftmaxBackward0 -> NllLossBackward0 chain and give the same value.
# description_zh: 两种写法构建出相同的 LogSoftmaxBackward0 -> NllLossBackward0 链，数值也相同。

import torch
import torch.nn as nn

torch.manual_seed(0)
logits = torch.randn(3, 3, requires_grad=True)
target = torch.tensor([0, 2, 1])
ce = nn.CrossEntropyLoss()(logits, target)
log_probs = nn.LogSoftmax(dim=1)(logits)
nll = nn.NLLLoss()(log_probs, target)
print(ce.item(), nll.item())
print("equal:", torch.allclose(ce, nll))
ce.backward()
print(logits.grad)
