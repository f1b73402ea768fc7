# title: Training loop that moves the model and every batch to the GPU with .to("cuda")
# expect: refused (gpu)

import torch
from torch import nn

device = "cuda"  # assumes a GPU runtime, as in a hosted notebook
print(torch.cuda.get_device_name(0))

model = nn.Sequential(
    nn.Linear(20, 64),
    nn.ReLU(),
    nn.Linear(64, 2),
).to(device)

X = torch.randn(256, 20)
y = (X[:, 0] > 0).long()

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for i in range(0, 256, 32):
        xb = X[i:i + 32].to(device)
        yb = y[i:i + 32].cuda()
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")

with torch.no_grad():
    preds = model(X.to(device)).argmax(1).cpu()
print(f"train accuracy {(preds == y).float().mean().item():.3f}")
print(torch.cuda.memory_allocated() > 0)
