# title: the error a learner hits: .cuda() on a machine without a GPU
# expect: match
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device)
x = torch.randn(2, 2).to(device)
print(x.device)
model = torch.nn.Linear(2, 2).to(device)
y = model(x)
print(y.shape)
z = x.cuda()
