# title: 保存模型参数到文件
# expect: refused (files)
import torch
import torch.nn as nn

model = nn.Linear(2, 1)
torch.save(model.state_dict(), "model.pth")
model.load_state_dict(torch.load("model.pth"))
