# title: @torch.no_grad() on a method, @torch.inference_mode(), model.requires_grad_(False)
# expect: match
import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x)

    @torch.no_grad()
    def predict(self, x):
        return self(x).argmax(dim=1)

    @torch.inference_mode()
    def score(self, x):
        return self(x).softmax(dim=1)

torch.manual_seed(0)
m = Model()
x = torch.randn(4, 3)
p = m.predict(x)
s = m.score(x)
print(p, p.requires_grad, s.requires_grad)
m.requires_grad_(False)
out = m(x)
print(out.requires_grad, [q.requires_grad for q in m.parameters()])
m.requires_grad_(True)
m.train(False)
print(m.training, m.fc.training)
out = m(x).sum()
out.backward()
print(m.fc.weight.grad.shape)
m.zero_grad(set_to_none=False)
print(m.fc.weight.grad.abs().sum())
