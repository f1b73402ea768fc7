# title: 模型保存与加载：保存checkpoint，断点续训练
# expect: refused (files)

import os
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(1)

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
path_checkpoint = os.path.join(BASE_DIR, "checkpoint_4_epoch.pkl")

net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
criterion = nn.CrossEntropyLoss()

x = torch.randn(64, 4)
y = (x[:, 0] + x[:, 1] > 0).long()

# ============================ 训练并保存 checkpoint ============================
checkpoint_interval = 5
start_epoch = -1

if os.path.exists(path_checkpoint):
    # ============================ 断点恢复 ============================
    checkpoint = torch.load(path_checkpoint)
    net.load_state_dict(checkpoint['model_state_dict'])
    optimizer.load_state_dict(checkpoint['optimizer_state_dict'])
    start_epoch = checkpoint['epoch']
    scheduler.last_epoch = start_epoch
    print("从第{}个epoch恢复训练".format(start_epoch + 1))

for epoch in range(start_epoch + 1, 10):
    outputs = net(x)
    loss = criterion(outputs, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
    print("epoch {} loss {:.4f} lr {}".format(epoch, loss.item(), scheduler.get_last_lr()))

    if (epoch + 1) % checkpoint_interval == 0:
        checkpoint = {"model_state_dict": net.state_dict(),
                      "optimizer_state_dict": optimizer.state_dict(),
                      "epoch": epoch}
        torch.save(checkpoint, path_checkpoint)
        print("保存了checkpoint:", os.path.basename(path_checkpoint))

# ============================ 保存整个模型 / 只保存参数 ============================
path_model = "./model.pkl"
path_state_dict = "./model_state_dict.pkl"
torch.save(net, path_model)
torch.save(net.state_dict(), path_state_dict)

net_new = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
state_dict_load = torch.load(path_state_dict)
net_new.load_state_dict(state_dict_load)
print("加载后输出一致:", torch.equal(net_new(x), net(x)))
