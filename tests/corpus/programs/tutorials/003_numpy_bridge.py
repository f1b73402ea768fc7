# title: Bridge between torch tensors and NumPy arrays with shared memory
# expect: match

import torch
import numpy as np

t = torch.ones(6)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")

# the array and the tensor share memory, so changing one changes the other
t.add_(2)
print(f"t: {t}")
print(f"n: {n}")

# NumPy array -> tensor, again sharing memory
n = np.zeros(4)
t = torch.from_numpy(n)
np.add(n, 3, out=n)
print(f"t: {t}")
print(f"n: {n}")
n[0] = -1.5
print(t)

# torch.tensor() copies instead of sharing
copied = torch.tensor(n)
n[1] = 100.0
print(copied)
print(t)

# dtypes follow NumPy's defaults
print(torch.from_numpy(np.arange(5)).dtype)
print(torch.from_numpy(np.linspace(0, 1, 3)).dtype)
print(torch.from_numpy(np.linspace(0, 1, 3).astype(np.float32)).dtype)

# a tensor that requires grad has to be detached before calling .numpy()
w = torch.linspace(0, 1, 4, requires_grad=True)
try:
    w.numpy()
except RuntimeError:
    print("cannot call numpy() on a tensor that requires grad")
print(w.detach().numpy())
print((w * 2).detach().numpy().sum())
