# title: 数据预处理：处理缺失值与类别特征（内存中的数据）
# expect: match

import math
import torch

# 直接在内存里写一张小表（不读CSV）：卧室数、朝向、租金
header = ['Bedrooms', 'Facing', 'Rent']
rows = [
    [float('nan'), 'South', 3200.0],
    [1.0, None, 2100.0],
    [3.0, None, 4550.0],
    [float('nan'), None, 2800.0],
    [2.0, 'North', 2650.0],
]
print(header)
for r in rows:
    print(r)

# 将输入和输出分开
inputs = [r[:2] for r in rows]
outputs = [r[2] for r in rows]

# 用均值填充数值列中的缺失值
known = [r[0] for r in inputs if not math.isnan(r[0])]
mean_rooms = sum(known) / len(known)
for r in inputs:
    if math.isnan(r[0]):
        r[0] = mean_rooms
print('卧室数均值:', mean_rooms)

# 类别列转为独热编码，缺失值也单独作为一个类别
categories = sorted({r[1] for r in inputs if r[1] is not None}) + ['nan']
print('类别:', categories)
table = []
for rooms, alley in inputs:
    key = alley if alley is not None else 'nan'
    table.append([rooms] + [1.0 if key == c else 0.0 for c in categories])
for line in table:
    print(line)

# 最后把表格变成张量
X = torch.tensor(table, dtype=torch.float64)
y = torch.tensor(outputs, dtype=torch.float64)
print(X)
print(y)
print(X.shape, y.shape)

# 练习：找出缺失最多的那一列
missing = [sum(1 for r in rows if (r[j] is None or (isinstance(r[j], float) and math.isnan(r[j]))))
           for j in range(2)]
drop = missing.index(max(missing))
print('缺失值最多的列:', header[drop])
