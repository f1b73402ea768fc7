# title: Attention pooling: Nadaraya-Watson kernel regression, nonparametric and parametric
# expect: match

import torch
from torch import nn

n_train = 40
x_train, _ = torch.sort(torch.rand(n_train) * 5)

def f(x):
    return 2 * torch.sin(x) + x ** 0.8

y_train = f(x_train) + torch.normal(0.0, 0.5, (n_train,))
x_test = torch.arange(0, 5, 0.125)
y_truth = f(x_test)
n_test = len(x_test)
print('n_test =', n_test)

# average pooling ignores the inputs altogether
y_hat = torch.repeat_interleave(y_train.mean(), n_test)
print('average pooling MSE:', round(((y_hat - y_truth) ** 2).mean().item(), 3))

# nonparametric attention pooling with a Gaussian kernel
X_repeat = x_test.repeat_interleave(n_train).reshape((-1, n_train))
attention_weights = nn.functional.softmax(-(X_repeat - x_train) ** 2 / 2, dim=1)
y_hat = torch.matmul(attention_weights, y_train)
print('kernel regression MSE:', round(((y_hat - y_truth) ** 2).mean().item(), 3))
print('weights sum to one:', bool(torch.allclose(attention_weights.sum(1), torch.ones(n_test))))

# torch.bmm multiplies matching pairs of matrices in two batches
X = torch.ones((2, 1, 3))
Y = torch.ones((2, 3, 5))
print(torch.bmm(X, Y).shape)
weights = torch.ones((2, 8)) * 0.125
values = torch.arange(16.0).reshape((2, 8))
print(torch.bmm(weights.unsqueeze(1), values.unsqueeze(-1)))

class NWKernelRegression(nn.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = nn.Parameter(torch.rand((1,), requires_grad=True))

    def forward(self, queries, keys, values):
        # queries and attention_weights: (number of queries, number of key-value pairs)
        queries = queries.repeat_interleave(keys.shape[1]).reshape((-1, keys.shape[1]))
        self.attention_weights = nn.functional.softmax(
            -((queries - keys) * self.w) ** 2 / 2, dim=1)
        # values: (number of queries, number of key-value pairs)
        return torch.bmm(self.attention_weights.unsqueeze(1),
                         values.unsqueeze(-1)).reshape(-1)

# each training input is a query against all the *other* training pairs
X_tile = x_train.repeat((n_train, 1))
Y_tile = y_train.repeat((n_train, 1))
keys = X_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
values = Y_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
print(keys.shape, values.shape)

net = NWKernelRegression()
loss = nn.MSELoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.5)

for epoch in range(5):
    trainer.zero_grad()
    l = loss(net(x_train, keys, values), y_train)
    l.sum().backward()
    trainer.step()
    print(f'epoch {epoch + 1}, loss {float(l.sum()):.6f}')

keys = x_train.repeat((n_test, 1))
values = y_train.repeat((n_test, 1))
y_hat = net(x_test, keys, values).unsqueeze(1).detach()
print(y_hat.shape, 'learned w:', round(net.w.item(), 3))
