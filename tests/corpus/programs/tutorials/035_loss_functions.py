# title: A tour of loss functions: MSE, L1, Huber, cross-entropy, NLL with LogSoftmax, BCE
# expect: match

import torch
from torch import nn
import torch.nn.functional as F

pred = torch.tensor([2.5, 0.0, 2.0, 8.0], requires_grad=True)
target = torch.tensor([3.0, -0.5, 2.0, 7.0])

for name, fn in [("MSE", nn.MSELoss()), ("L1", nn.L1Loss()),
                 ("Huber", nn.HuberLoss(delta=1.0)), ("MSE sum", nn.MSELoss(reduction="sum"))]:
    loss = fn(pred, target)
    pred.grad = None
    loss.backward()
    print(f"{name:8s} loss={loss.item():.4f} grad={pred.grad.tolist()}")

# classification: three samples, five classes
logits = torch.tensor([[1.0, 2.0, 0.5, -1.0, 0.0],
                       [0.1, 0.2, 3.0, 0.0, -0.5],
                       [2.0, -1.0, 0.0, 1.0, 0.3]], requires_grad=True)
labels = torch.tensor([1, 2, 3])

ce = nn.CrossEntropyLoss()(logits, labels)
nll = nn.NLLLoss()(nn.LogSoftmax(dim=1)(logits), labels)
print(round(ce.item(), 5), round(nll.item(), 5), torch.allclose(ce, nll))

ce.backward()
# gradient of CE w.r.t. logits is (softmax - one_hot) / batch
expected = (F.softmax(logits, dim=1) - F.one_hot(labels, 5)) / 3
print(torch.allclose(logits.grad, expected))

smoothed = nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels)
weighted = nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 1., 1., 1.]))(logits, labels)
print(round(smoothed.item(), 5), round(weighted.item(), 5))

# binary: probabilities with BCELoss, raw scores with BCEWithLogitsLoss
scores = torch.tensor([0.8, -1.2, 2.0, 0.1])
y_bin = torch.tensor([1.0, 0.0, 1.0, 0.0])
bce = nn.BCELoss()(torch.sigmoid(scores), y_bin)
bce_logits = nn.BCEWithLogitsLoss()(scores, y_bin)
print(round(bce.item(), 5), round(bce_logits.item(), 5))

# KL divergence expects log-probabilities as input
p_log = F.log_softmax(torch.tensor([[0.2, 0.3, 0.5]]), dim=1)
q = torch.tensor([[0.1, 0.6, 0.3]])
print(round(nn.KLDivLoss(reduction="batchmean")(p_log, q).item(), 5))
