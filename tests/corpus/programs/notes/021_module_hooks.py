# title: Hook函数（二）：Module.register_forward_hook 打印特征图形状、forward_pre_hook、backward_hook
# expect: match

import torch
import torch.nn as nn

torch.manual_seed(1)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 3, 3)
        self.pool1 = nn.AvgPool2d(3)

    def forward(self, x):
        x = self.conv1(x)
        x = self.pool1(x)
        return x


def forward_hook(module, data_input, data_output):
    fmap_block.append(data_output)
    input_block.append(data_input)


def forward_pre_hook(module, data_input):
    print("forward_pre_hook 看到的输入形状: {}".format(data_input[0].shape))


def backward_hook(module, grad_input, grad_output):
    print("backward hook grad_input: {}".format(grad_input))
    print("backward hook grad_output[0] shape: {}".format(grad_output[0].shape))


# 把三个卷积核分别设成全0.5、全1、全-1，偏置设成0.1，方便手算
net = Net()
with torch.no_grad():
    net.conv1.weight[0].fill_(0.5)
    net.conv1.weight[1].fill_(1.0)
    net.conv1.weight[2].fill_(-1.0)
    net.conv1.bias.fill_(0.1)

fmap_block = list()
input_block = list()
h1 = net.conv1.register_forward_hook(forward_hook)
h2 = net.conv1.register_forward_pre_hook(forward_pre_hook)
h3 = net.conv1.register_full_backward_hook(backward_hook)

img = torch.arange(25, dtype=torch.float32).view(1, 1, 5, 5) / 10  # N, C, H, W
output = net(img)
loss = nn.MSELoss()(output, torch.zeros_like(output))
loss.backward()

print("网络输出 {}: {}".format(tuple(output.shape), output.view(-1)))
print("conv1 输出的特征图 shape: {}".format(fmap_block[0].shape))
print("第2个通道的特征图:\n{}".format(fmap_block[0][0, 1]))
print("conv1 的输入 shape: {}, 是元组吗: {}".format(input_block[0][0].shape, isinstance(input_block[0], tuple)))

for h in (h1, h2, h3):
    h.remove()

# ----------------------------------- 给一个CNN的每一层注册hook，打印特征图形状 -----------------------------------
cnn = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 8 * 8, 10),
)

handles = []
for name, layer in cnn.named_children():
    def print_shape(module, inp, out, name=name):
        print("{:<3} {:<10} -> {}".format(name, module.__class__.__name__, tuple(out.shape)))
    handles.append(layer.register_forward_hook(print_shape))

out = cnn(torch.randn(2, 3, 32, 32))
for h in handles:
    h.remove()
print("hook 移除后再前向一次，不再打印:", tuple(cnn(torch.randn(1, 3, 32, 32)).shape))
