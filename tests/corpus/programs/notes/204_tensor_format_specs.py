# title: printing tensors with format specs, item(), tolist(), numpy round trips and set_printoptions
# expect: match
import numpy as np
import torch

torch.manual_seed(0)
loss = torch.tensor(0.123456)
acc = torch.tensor([0.5, 0.25])
print(f"loss={loss:.3f} acc={acc.mean():.2%}")
print("loss: {:.4f}".format(loss.item()))
print("%.2f" % loss)
print(f"{loss.item():>10.4f}|")
print(acc.tolist(), acc.numpy().round(2), np.mean(acc.numpy()))
torch.set_printoptions(precision=3, linewidth=60)
x = torch.randn(3, 8)
print(x)
torch.set_printoptions(profile="default")
print(x.argmax(dim=1), x.max(dim=1))
print(torch.where(x > 0, x, torch.zeros_like(x)).sum())
print(x.clamp(min=-0.5, max=0.5).abs().max())
print(torch.einsum("ij,kj->ik", x, x).shape)
idx = torch.tensor([[0], [2], [1]])
print(torch.zeros(3, 4).scatter_(1, idx, 1.0))
print(x.new_zeros(2), x.new_tensor([1, 2]).dtype)
