# title: 手写交叉熵：softmax、log_softmax、one-hot 与 F.cross_entropy 对比
# expect: match

import torch
import torch.nn.functional as F
import math

torch.manual_seed(3)

logits = torch.randn(4, 5, requires_grad=True)  # 4个样本，5个类别
labels = torch.tensor([1, 0, 4, 2])

# 1. 官方实现
loss_official = F.cross_entropy(logits, labels)
print("F.cross_entropy: {:.6f}".format(loss_official.item()))

# 2. softmax + log + 取对应位置
prob = torch.softmax(logits, dim=1)
print("每行概率之和:", prob.sum(dim=1))
loss_1 = -torch.log(prob[range(4), labels]).mean()
print("softmax + log: {:.6f}".format(loss_1.item()))

# 3. log_softmax + nll_loss
loss_2 = F.nll_loss(F.log_softmax(logits, dim=1), labels)
print("log_softmax + nll: {:.6f}".format(loss_2.item()))

# 4. one-hot 形式：-sum(y * log(p))
one_hot = F.one_hot(labels, num_classes=5).float()
loss_3 = -(one_hot * torch.log(prob)).sum(dim=1).mean()
print("one-hot: {:.6f}".format(loss_3.item()))

# 5. 纯Python算第一个样本
row = logits[0].tolist()
m = max(row)
lse = m + math.log(sum(math.exp(v - m) for v in row))
print("第一个样本手算: {:.6f}, 官方reduction='none': {:.6f}".format(
    lse - row[labels[0]], F.cross_entropy(logits, labels, reduction='none')[0].item()))

# 梯度：d loss / d logits = (softmax - one_hot) / N
loss_official.backward()
grad_manual = (prob.detach() - one_hot) / 4
print("梯度一致:", torch.allclose(logits.grad, grad_manual, atol=1e-6))
print(logits.grad)

# 数值稳定性：logits很大时直接exp会溢出
big = torch.tensor([[1000.0, 0.0, -1000.0]])
print("直接softmax再log:", torch.log(torch.exp(big) / torch.exp(big).sum()))
print("log_softmax:", F.log_softmax(big, dim=1))

# 标签平滑 label_smoothing
print("label_smoothing=0.1: {:.6f}".format(F.cross_entropy(logits, labels, label_smoothing=0.1).item()))
