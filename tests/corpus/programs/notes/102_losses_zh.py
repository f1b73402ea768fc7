# title: 损失函数汇总：MSE、L1、SmoothL1、Huber、BCE、BCEWithLogits、CE、NLL、KLDiv
# expect: match
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
pred = torch.randn(4, 3, requires_grad=True)
target = torch.randn(4, 3)
labels = torch.tensor([0, 2, 1, 2])
binary = torch.tensor([[1., 0., 1.], [0., 0., 1.], [1., 1., 0.], [0., 1., 0.]])

losses = {
    "MSELoss": nn.MSELoss()(pred, target),
    "L1Loss(sum)": nn.L1Loss(reduction='sum')(pred, target),
    "SmoothL1Loss": nn.SmoothL1Loss(beta=0.5)(pred, target),
    "HuberLoss": nn.HuberLoss(delta=1.0)(pred, target),
    "BCELoss": nn.BCELoss()(torch.sigmoid(pred), binary),
    "BCEWithLogitsLoss": nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0, 3.0]))(pred, binary),
    "CrossEntropyLoss": nn.CrossEntropyLoss()(pred, labels),
    "CE(label_smoothing)": nn.CrossEntropyLoss(label_smoothing=0.1)(pred, labels),
    "CE(weight)": nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]))(pred, labels),
    "NLLLoss": nn.NLLLoss()(F.log_softmax(pred, dim=1), labels),
    "KLDivLoss": nn.KLDivLoss(reduction='batchmean')(F.log_softmax(pred, dim=1), F.softmax(target, dim=1)),
}
for name, loss in losses.items():
    print(f"{name:>22s}: {loss.item():.4f}")

total = sum(losses.values())
total.backward()
print("pred 的梯度:\n", pred.grad)
# 交叉熵 = log_softmax + nll
print(torch.allclose(F.cross_entropy(pred, labels), F.nll_loss(F.log_softmax(pred, 1), labels)))
