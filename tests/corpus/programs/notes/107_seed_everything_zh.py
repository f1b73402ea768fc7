# title: 固定随机种子的函数：random、numpy、torch、cudnn 确定性设置
# expect: match
import random
import numpy as np
import torch

def setup_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False

setup_seed(20)
print(random.random(), np.random.rand(), torch.rand(1))
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("使用设备:", device)
x = torch.randn(3, 3).to(device)
print(x.sum())
