# title: 数据预处理：写入并读取CSV文件（pandas）
# expect: refused (files)

import os
import pandas as pd
import torch

os.makedirs(os.path.join('..', 'data'), exist_ok=True)
data_file = os.path.join('..', 'data', 'rent_small.csv')
with open(data_file, 'w') as f:
    f.write('Bedrooms,Facing,Rent\n')  # 表头
    f.write('NA,South,3200\n')  # 一行一个样本
    f.write('1,NA,2100\n')
    f.write('3,NA,4550\n')
    f.write('NA,NA,2800\n')

data = pd.read_csv(data_file)
print(data)

inputs, outputs = data.iloc[:, 0:2], data.iloc[:, 2]
inputs = inputs.fillna(inputs.mean(numeric_only=True))
print(inputs)

inputs = pd.get_dummies(inputs, dummy_na=True)
print(inputs)

X = torch.tensor(inputs.to_numpy(dtype=float))
y = torch.tensor(outputs.to_numpy(dtype=float))
print(X, y)
