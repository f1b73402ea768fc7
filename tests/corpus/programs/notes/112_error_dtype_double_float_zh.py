# title: 常见报错：numpy 数据是 float64，模型是 float32
# expect: match
import numpy as np
import torch
import torch.nn as nn

data = np.random.rand(5, 3)
x = torch.from_numpy(data)
print(x.dtype)
model = nn.Linear(3, 1)
out = model(x)
