# title: Comparing SGD, SGD with momentum, RMSprop and Adam on the same small regression
# expect: match

import math
import torch
from torch import nn
import matplotlib.pyplot as plt

x = torch.linspace(-math.pi, math.pi, 400).unsqueeze(1)
y = torch.sin(x) + 0.3 * torch.cos(3 * x)


def make_model():
    torch.manual_seed(7)  # every optimizer starts from the same weights
    return nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))


settings = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.05),
    "SGD+momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "RMSprop": lambda p: torch.optim.RMSprop(p, lr=0.005),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999)),
}

loss_fn = nn.MSELoss()
history = {}
for name, make_opt in settings.items():
    model = make_model()
    optimizer = make_opt(model.parameters())
    losses = []
    for step in range(300):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    history[name] = losses
    print(f"{name:>13s}: first {losses[0]:.4f}  last {losses[-1]:.4f}")

best = min(history, key=lambda k: history[k][-1])
print("lowest final loss:", best)

for name, losses in history.items():
    plt.plot(losses, label=name)
plt.yscale("log")
plt.xlabel("step")
plt.ylabel("MSE")
plt.legend()
plt.show()
