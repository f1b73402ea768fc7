# title: Weight decay from scratch with an L2 penalty on a high-dimensional linear model
# expect: match

import torch
from torch import nn
from torch.utils import data

def synthetic_data(w, b, num_examples):
    """Gaussian features, labels from the true weights plus small noise."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

# few examples, many features: easy to overfit
n_train, n_test, num_inputs, batch_size = 20, 100, 150, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
train_data = synthetic_data(true_w, true_b, n_train)
train_iter = load_array(train_data, batch_size)
test_data = synthetic_data(true_w, true_b, n_test)
test_iter = load_array(test_data, batch_size, is_train=False)

def init_params():
    w = torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]

def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2

def evaluate_loss(net, data_iter, loss):
    total, count = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            l = loss(net(X), y)
            total += float(l.sum())
            count += l.numel()
    return total / count

def train(lambd):
    w, b = init_params()
    net, loss = lambda X: linreg(X, w, b), squared_loss
    num_epochs, lr = 30, 0.005
    for epoch in range(num_epochs):
        for X, y in train_iter:
            # broadcasting turns the penalty into a vector of batch_size entries
            l = loss(net(X), y) + lambd * l2_penalty(w)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        if (epoch + 1) % 10 == 0:
            print(f'  epoch {epoch + 1}: train {evaluate_loss(net, train_iter, loss):.4f}, '
                  f'test {evaluate_loss(net, test_iter, loss):.4f}')
    print('norm of w after training:', round(torch.norm(w).item(), 4))

print('no regularization:')
train(lambd=0)
print('with weight decay:')
train(lambd=3)
