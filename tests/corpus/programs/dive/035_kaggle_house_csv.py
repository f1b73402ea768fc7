# title: 3.16 实战Kaggle比赛：房价预测（读取CSV数据）
# expect: refused (files)

import torch
import torch.nn as nn
import numpy as np
import pandas as pd

torch.set_default_tensor_type(torch.FloatTensor)

# 读取数据集
train_data = pd.read_csv('../../data/kaggle_house/train.csv')
test_data = pd.read_csv('../../data/kaggle_house/test.csv')
print(train_data.shape, test_data.shape)
print(train_data.iloc[0:4, [0, 1, 2, 3, -3, -2, -1]])

# 预处理数据
all_features = pd.concat((train_data.iloc[:, 1:-1], test_data.iloc[:, 1:]))
numeric_features = all_features.dtypes[all_features.dtypes != 'object'].index
all_features[numeric_features] = all_features[numeric_features].apply(
    lambda x: (x - x.mean()) / (x.std()))
# 标准化后均值是0，缺失值直接填0
all_features[numeric_features] = all_features[numeric_features].fillna(0)
# 类别特征做one-hot，缺失值也单独成一类
all_features = pd.get_dummies(all_features, dummy_na=True)
print(all_features.shape)

n_train = train_data.shape[0]
train_features = torch.tensor(all_features[:n_train].values.astype(np.float32), dtype=torch.float)
test_features = torch.tensor(all_features[n_train:].values.astype(np.float32), dtype=torch.float)
train_labels = torch.tensor(train_data.SalePrice.values, dtype=torch.float).view(-1, 1)

loss = torch.nn.MSELoss()
net = nn.Linear(train_features.shape[1], 1)
for param in net.parameters():
    nn.init.normal_(param, mean=0, std=0.01)


def log_rmse(net, features, labels):
    with torch.no_grad():
        clipped_preds = torch.max(net(features), torch.tensor(1.0))
        rmse = torch.sqrt(loss(clipped_preds.log(), labels.log()))
    return rmse.item()


dataset = torch.utils.data.TensorDataset(train_features, train_labels)
train_iter = torch.utils.data.DataLoader(dataset, 64, shuffle=True)
optimizer = torch.optim.Adam(params=net.parameters(), lr=5, weight_decay=0)
for epoch in range(100):
    for X, y in train_iter:
        l = loss(net(X), y)
        optimizer.zero_grad()
        l.backward()
        optimizer.step()
print('train rmse %f' % log_rmse(net, train_features, train_labels))

# 预测并写出提交文件
preds = net(test_features).detach().numpy()
test_data['SalePrice'] = pd.Series(preds.reshape(1, -1)[0])
submission = pd.concat([test_data['Id'], test_data['SalePrice']], axis=1)
submission.to_csv('./submission.csv', index=False)
