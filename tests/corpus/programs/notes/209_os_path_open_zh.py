# title: 读取本地数据文件（os 与 open）
# expect: refused (files)
import os
import torch

data_file = os.path.join('..', 'data', 'house_tiny.csv')
with open(data_file, 'w') as f:
    f.write('NumRooms,Alley,Price\n')
