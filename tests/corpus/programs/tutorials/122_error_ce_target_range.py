# title: the error a learner hits: a class label out of range for CrossEntropyLoss
# expect: match
import torch
import torch.nn as nn

logits = torch.randn(3, 5, requires_grad=True)
target = torch.tensor([1, 0, 5])
loss = nn.CrossEntropyLoss()(logits, target)
loss.backward()
