# title: 调试：torch.autograd.set_detect_anomaly 与 NaN 梯度
# expect: match
import torch

torch.autograd.set_detect_anomaly(True)
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sqrt(x)
z = y.sum()
z.backward()
print(x.grad)
print(torch.isnan(x.grad).any(), torch.isinf(x.grad).any())
torch.autograd.set_detect_anomaly(False)
