# title: the error a learner hits: the loss does not require grad (model under no_grad)
# expect: match
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(5, 3)
y = torch.randn(5, 1)
with torch.no_grad():
    pred = model(x)
loss = nn.functional.mse_loss(pred, y)
opt.zero_grad()
loss.backward()
opt.step()
