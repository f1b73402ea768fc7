# title: Save and load a model: torch.save of the state_dict to model.pth, then torch.load it back
# expect: refused (files)

import torch
from torch import nn


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


model = NeuralNetwork()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

x = torch.rand(8, 28, 28)
y = torch.randint(0, 10, (8,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
optimizer.step()

# weights only
torch.save(model.state_dict(), "model.pth")
print("Saved PyTorch Model State to model.pth")

model2 = NeuralNetwork()
model2.load_state_dict(torch.load("model.pth", weights_only=True))
model2.eval()

# a general checkpoint with the optimizer too
torch.save({
    "epoch": 1,
    "model_state_dict": model.state_dict(),
    "optimizer_state_dict": optimizer.state_dict(),
    "loss": loss.item(),
}, "checkpoint.tar")
checkpoint = torch.load("checkpoint.tar", weights_only=True)
optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
print(checkpoint["epoch"], round(checkpoint["loss"], 4))

with torch.no_grad():
    print(torch.allclose(model(x), model2(x)))
