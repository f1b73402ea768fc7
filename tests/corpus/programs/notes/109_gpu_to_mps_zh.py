# title: Mac 笔记：把模型放到 mps 设备
# expect: refused (gpu)
import torch
x = torch.ones(3)
x = x.to("mps")
print(x)
