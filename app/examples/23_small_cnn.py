# title: A small CNN in train and eval mode
# title_zh: 小型卷积网络：训练模式与评估模式
# description: Conv2d, BatchNorm2d, ReLU, MaxPool2d and Dropout in one nn.Sequential, run twice on the same images. In train mode Dropout multiplies by a random mask (a MulBackward0 node) and BatchNorm2d normalises with the batch's own statistics; after model.eval() the graph has no Dropout node and BatchNorm2d uses the running averages it has kept.
# description_zh: 一个 nn.Sequential 依次包含 Conv2d、BatchNorm2d、ReLU、MaxPool2d 和 Dropout，对同一批图像运行两次。训练模式下，Dropout 乘以一个随机掩码（MulBackward0 节点），BatchNorm2d 用这一批数据自身的统计量做归一化；调用 model.eval() 之后，计算图中不再有 Dropout 节点，BatchNorm2d 改用它一直维护的运行平均值。

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 2, kernel_size=3, padding=1),  # 1 channel in, 2 feature maps out
    nn.BatchNorm2d(2),
    nn.ReLU(),
    nn.MaxPool2d(2),  # 8x8 -> 4x4
    nn.Dropout(p=0.5),
    nn.Flatten(),
    nn.Linear(2 * 4 * 4, 3),  # 3 classes
)
images = torch.randn(2, 1, 8, 8)  # a batch of two 8x8 grey images
labels = torch.tensor([0, 2])

model.train()
train_loss = F.cross_entropy(model(images), labels)
train_loss.backward()
print("train loss:", round(train_loss.item(), 4))
print("running mean after one batch:", model[1].running_mean)

model.eval()
eval_loss = F.cross_entropy(model(images), labels)
print("eval loss:", round(eval_loss.item(), 4))
print("conv weight grad shape:", model[0].weight.grad.shape)
