# title: 权重衰减的简洁实现：在优化器中设置weight_decay
# expect: match

import torch
from torch import nn
from torch.utils import data

def synthetic_data(w, b, num_examples):
    """按真实参数造数据，并加上少量高斯噪声"""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

def load_array(data_arrays, batch_size, is_train=True):
    """把张量包装成DataLoader"""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

n_train, n_test, num_inputs, batch_size = 24, 120, 120, 6
true_w, true_b = torch.ones((num_inputs, 1)) * 0.02, 0.1
train_iter = load_array(synthetic_data(true_w, true_b, n_train), batch_size)
test_iter = load_array(synthetic_data(true_w, true_b, n_test), batch_size, is_train=False)

def evaluate_loss(net, data_iter, loss):
    """整个数据集上的平均损失"""
    s, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            l = loss(net(X), y)
            s += l.sum().item()
            n += l.numel()
    return s / n

def train_concise(wd):
    net = nn.Sequential(nn.Linear(num_inputs, 1))
    for param in net.parameters():
        param.data.normal_()
    loss = nn.MSELoss(reduction='none')
    num_epochs, lr = 30, 0.004
    # 偏置参数不衰减
    trainer = torch.optim.SGD([
        {"params": net[0].weight, 'weight_decay': wd},
        {"params": net[0].bias}], lr=lr)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            trainer.zero_grad()
            l = loss(net(X), y)
            l.mean().backward()
            trainer.step()
        if (epoch + 1) % 10 == 0:
            print(f'  epoch {epoch + 1}, 训练损失 {evaluate_loss(net, train_iter, loss):.4f}, '
                  f'测试损失 {evaluate_loss(net, test_iter, loss):.4f}')
    print('训练后权重的范数:', round(net[0].weight.norm().item(), 4))
    return net

print('不使用权重衰减:')
net0 = train_concise(0)
print('权重衰减 wd=3:')
net3 = train_concise(3)
print('参数组数量:', len(torch.optim.SGD([{"params": net3[0].weight, 'weight_decay': 3},
                                      {"params": net3[0].bias}], lr=0.1).param_groups))
