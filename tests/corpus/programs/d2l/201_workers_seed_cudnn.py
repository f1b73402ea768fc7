# title: d2l get_dataloader_workers, seeds for cuda and cudnn flags, a Timer with time.time
# expect: match
import time
import random
import numpy as np
import torch
from torch.utils import data

def setup_seed(seed):
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    np.random.seed(seed)
    random.seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False

setup_seed(20)

class Timer:  #@save
    """记录多次运行时间"""
    def __init__(self):
        self.times = []
        self.start()
    def start(self):
        self.tik = time.time()
    def stop(self):
        self.times.append(time.time() - self.tik)
        return self.times[-1]
    def avg(self):
        return sum(self.times) / len(self.times)
    def sum(self):
        return sum(self.times)
    def cumsum(self):
        return np.array(self.times).cumsum().tolist()

def get_dataloader_workers():  #@save
    """使用4个进程来读取数据"""
    return 4

X = torch.randn(40, 3)
y = torch.randint(0, 2, (40,))
train_iter = data.DataLoader(data.TensorDataset(X, y), batch_size=8, shuffle=True,
                             num_workers=get_dataloader_workers())
timer = Timer()
n = 0
for Xb, yb in train_iter:
    n += Xb.shape[0]
print(n, f'{timer.stop() < 100}')
