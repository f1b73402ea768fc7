# title: Creating tensors from lists, NumPy arrays, shapes and other tensors
# expect: match

import torch
import numpy as np

# straight from nested Python lists
grid = [[3, 1], [4, 1], [5, 9]]
t_grid = torch.tensor(grid)
print(t_grid)
print(f"dtype inferred from the list: {t_grid.dtype}")

# from a NumPy array
arr = np.array(grid)
t_arr = torch.from_numpy(arr)
print(t_arr)

# new tensors that keep the shape of an existing one
t_ones = torch.ones_like(t_grid)
print(f"Ones like t_grid:\n {t_ones}\n")

t_rand = torch.rand_like(t_grid, dtype=torch.float)
print(f"Random like t_grid (rounded):\n {t_rand.round(decimals=3)}\n")

# building from a shape tuple
shape = (2, 4,)
rand_tensor = torch.rand(shape)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)
print(f"Random Tensor: \n {rand_tensor} \n")
print(f"Ones Tensor: \n {ones_tensor} \n")
print(f"Zeros Tensor: \n {zeros_tensor}")

# a few more factories that show up in the course notes
print(torch.arange(0, 10, 2))
print(torch.linspace(-1, 1, steps=5))
print(torch.full((2, 3), 7.5))
print(torch.eye(3))

# every tensor knows its shape, dtype and where it lives
tensor = torch.rand(3, 5)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

# move it to the accelerator only when there is one
device = "cuda" if torch.cuda.is_available() else "cpu"
tensor = tensor.to(device)
print(f"Using {device} device")
print(tensor.sum().item() > 0)
