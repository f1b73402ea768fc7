# title: dropout from scratch with assert, keep_prob, and a params list with is_training
# expect: match
import torch
import numpy as np

def dropout(X, drop_prob):
    X = X.float()
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) < keep_prob).float()
    return mask * X / keep_prob

X = torch.arange(16).view(2, 8)
print(dropout(X, 0))
print(dropout(X, 0.5))
print(dropout(X, 1.0))

num_inputs, num_outputs, num_hiddens1, num_hiddens2 = 8, 3, 16, 16
W1 = torch.tensor(np.random.normal(0, 0.01, size=(num_inputs, num_hiddens1)), dtype=torch.float, requires_grad=True)
b1 = torch.zeros(num_hiddens1, requires_grad=True)
W2 = torch.tensor(np.random.normal(0, 0.01, size=(num_hiddens1, num_hiddens2)), dtype=torch.float, requires_grad=True)
b2 = torch.zeros(num_hiddens2, requires_grad=True)
W3 = torch.tensor(np.random.normal(0, 0.01, size=(num_hiddens2, num_outputs)), dtype=torch.float, requires_grad=True)
b3 = torch.zeros(num_outputs, requires_grad=True)
params = [W1, b1, W2, b2, W3, b3]
drop_prob1, drop_prob2 = 0.2, 0.5

def net(X, is_training=True):
    X = X.view(-1, num_inputs)
    H1 = (torch.matmul(X, W1) + b1).relu()
    if is_training:
        H1 = dropout(H1, drop_prob1)
    H2 = (torch.matmul(H1, W2) + b2).relu()
    if is_training:
        H2 = dropout(H2, drop_prob2)
    return torch.matmul(H2, W3) + b3

X = torch.randn(32, num_inputs)
y = torch.randint(0, num_outputs, (32,))
loss = torch.nn.CrossEntropyLoss()
for epoch in range(5):
    l = loss(net(X), y)
    for p in params:
        if p.grad is not None:
            p.grad.data.zero_()
    l.backward()
    for p in params:
        p.data -= 0.5 * p.grad
    print('epoch %d, loss %.4f' % (epoch + 1, l.item()))
print((net(X, False).argmax(dim=1) == y).float().mean().item())
