# title: the error a learner hits: float class labels with the wrong shape for CrossEntropyLoss
# expect: match
import torch
import torch.nn as nn

logits = torch.randn(4, 3, requires_grad=True)
labels = torch.tensor([[0.0], [2.0], [1.0], [1.0]])
criterion = nn.CrossEntropyLoss()
loss = criterion(logits, labels)
print(loss)
