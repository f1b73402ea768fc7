# title: 冻结部分层：requires_grad = False、filter 可训练参数、统计参数量
# expect: match
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
for param in model[0].parameters():
    param.requires_grad = False
trainable = filter(lambda p: p.requires_grad, model.parameters())
optimizer = torch.optim.SGD(trainable, lr=0.1)
total = sum(p.numel() for p in model.parameters())
n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"总参数量: {total}, 可训练参数量: {n_train}")
x = torch.randn(5, 4)
before = model[0].weight.clone()
out = model(x).sum()
out.backward()
optimizer.step()
print("第一层权重是否变化:", not torch.equal(before, model[0].weight))
print("第一层的梯度:", model[0].weight.grad)
print("最后一层偏置的梯度:", model[2].bias.grad)
for name, p in model.named_parameters():
    print(name, p.requires_grad, tuple(p.shape))
