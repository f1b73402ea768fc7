# title: Learning-rate schedules: StepLR and ExponentialLR stepping once per epoch
# expect: match

import torch
from torch import nn
from torch.optim.lr_scheduler import StepLR, ExponentialLR

# noisy line y = 3x - 1
X = torch.linspace(-1, 1, 200).unsqueeze(1)
y = 3 * X - 1 + 0.1 * torch.randn(200, 1)

def minibatches(X, y, batch_size):
    # hand out consecutive slices, one batch at a time
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=5, gamma=0.5)

for epoch in range(20):
    for xb, yb in minibatches(X, y, 50):
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
    if epoch % 2 == 1:
        print("epoch {:2d}  lr {:.5f}  loss {:.5f}".format(epoch + 1, scheduler.get_last_lr()[0], loss.item()))

print("w = {:.3f}, b = {:.3f}".format(model.weight.item(), model.bias.item()))
print(scheduler.state_dict()["last_epoch"])

# an exponential schedule decays every step
opt2 = torch.optim.Adam(model.parameters(), lr=0.01)
sched2 = ExponentialLR(opt2, gamma=0.9)
lrs = []
for _ in range(6):
    opt2.step()
    sched2.step()
    lrs.append(round(opt2.param_groups[0]["lr"], 6))
print(lrs)
