# title: 3.16 房价预测（合成数据代替Kaggle CSV）：K折交叉验证与Adam
# expect: match

import torch
import torch.nn as nn
import numpy as np

torch.set_default_dtype(torch.float32)

# 不读取train.csv，随机生成"房屋特征"：面积、房间数、房龄，以及一个类别特征(3类)
n_train, n_test = 300, 100
n_all = n_train + n_test
area = np.random.uniform(50, 300, n_all)
rooms = np.random.randint(1, 6, n_all)
age = np.random.uniform(0, 50, n_all)
kind = np.random.randint(0, 3, n_all)
# 房价以"万元"为单位
price = 0.8 * area + 5 * rooms - 0.3 * age + 10 * kind + np.random.normal(0, 8, n_all)
price = np.maximum(price, 20)

# 数值特征标准化，类别特征转成one-hot指示特征
numeric = np.stack([area, rooms, age], axis=1)
numeric = (numeric - numeric.mean(axis=0)) / numeric.std(axis=0)
one_hot = np.eye(3)[kind]
all_features = np.concatenate([numeric, one_hot], axis=1)
print(all_features.shape)

train_features = torch.tensor(all_features[:n_train], dtype=torch.float)
test_features = torch.tensor(all_features[n_train:], dtype=torch.float)
train_labels = torch.tensor(price[:n_train], dtype=torch.float).view(-1, 1)

loss = torch.nn.MSELoss()


def get_net(feature_num):
    net = nn.Linear(feature_num, 1)
    for param in net.parameters():
        nn.init.normal_(param, mean=0, std=0.01)
    return net


def log_rmse(net, features, labels):
    with torch.no_grad():
        # 预测值小于1的截成1，避免取log出问题
        clipped_preds = torch.max(net(features), torch.tensor(1.0))
        rmse = torch.sqrt(loss(clipped_preds.log(), labels.log()))
    return rmse.item()


def train(net, train_features, train_labels, test_features, test_labels,
          num_epochs, learning_rate, weight_decay, batch_size):
    train_ls, test_ls = [], []
    dataset = torch.utils.data.TensorDataset(train_features, train_labels)
    train_iter = torch.utils.data.DataLoader(dataset, batch_size, shuffle=True)
    # 这一节换成了Adam
    optimizer = torch.optim.Adam(params=net.parameters(), lr=learning_rate, weight_decay=weight_decay)
    net = net.float()
    for epoch in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X.float()), y.float())
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
        train_ls.append(log_rmse(net, train_features, train_labels))
        if test_labels is not None:
            test_ls.append(log_rmse(net, test_features, test_labels))
    return train_ls, test_ls


def get_k_fold_data(k, i, X, y):
    # 把数据切成k份，第i份做验证集，其余拼起来做训练集
    assert k > 1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        idx = slice(j * fold_size, (j + 1) * fold_size)
        X_part, y_part = X[idx, :], y[idx]
        if j == i:
            X_valid, y_valid = X_part, y_part
        elif X_train is None:
            X_train, y_train = X_part, y_part
        else:
            X_train = torch.cat((X_train, X_part), dim=0)
            y_train = torch.cat((y_train, y_part), dim=0)
    return X_train, y_train, X_valid, y_valid


def k_fold(k, X_train, y_train, num_epochs, learning_rate, weight_decay, batch_size):
    train_l_sum, valid_l_sum = 0, 0
    for i in range(k):
        data = get_k_fold_data(k, i, X_train, y_train)
        net = get_net(X_train.shape[1])
        train_ls, valid_ls = train(net, *data, num_epochs, learning_rate, weight_decay, batch_size)
        train_l_sum += train_ls[-1]
        valid_l_sum += valid_ls[-1]
        print('fold %d, train rmse %f, valid rmse %f' % (i, train_ls[-1], valid_ls[-1]))
    return train_l_sum / k, valid_l_sum / k


k, num_epochs, lr, weight_decay, batch_size = 3, 40, 5, 0, 64
train_l, valid_l = k_fold(k, train_features, train_labels, num_epochs, lr, weight_decay, batch_size)
print('%d-fold validation: avg train rmse %f, avg valid rmse %f' % (k, train_l, valid_l))

# 用全部训练数据训练并预测
net = get_net(train_features.shape[1])
train_ls, _ = train(net, train_features, train_labels, None, None, num_epochs, lr, weight_decay, batch_size)
print('train rmse %f' % train_ls[-1])
preds = net(test_features).detach().numpy()
print(preds.reshape(1, -1)[0][:5])
