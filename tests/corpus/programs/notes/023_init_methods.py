# title: 权值初始化（二）：nn.init 常用方法、calculate_gain 与 model.apply
# expect: match

import torch
import torch.nn as nn

torch.manual_seed(2)

# ----------------------------------- calculate_gain -----------------------------------
# 计算激活函数的方差变化尺度：输入的std / 输出的std
x = torch.randn(10000)
out = torch.tanh(x)
gain = x.std() / out.std()
print('实测 tanh 的 std 缩放: {:.4f}'.format(gain.item()))

tanh_gain = nn.init.calculate_gain('tanh')
print('calculate_gain("tanh") = {:.4f}'.format(tanh_gain))
for nonlinearity in ['linear', 'sigmoid', 'relu', 'leaky_relu']:
    print('{:<11s} gain = {:.4f}'.format(nonlinearity, nn.init.calculate_gain(nonlinearity)))

# ----------------------------------- 各种初始化方法 -----------------------------------
w = torch.empty(256, 128)
nn.init.uniform_(w, a=-0.1, b=0.1)
print('uniform_      mean {:.4f} std {:.4f}'.format(w.mean().item(), w.std().item()))
nn.init.normal_(w, mean=0., std=0.02)
print('normal_       mean {:.4f} std {:.4f}'.format(w.mean().item(), w.std().item()))
nn.init.xavier_uniform_(w)
print('xavier_uniform_  std {:.4f}  理论值 {:.4f}'.format(w.std().item(), (2 / (256 + 128)) ** 0.5))
nn.init.xavier_normal_(w)
print('xavier_normal_   std {:.4f}'.format(w.std().item()))
nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu')
print('kaiming_normal_  std {:.4f}  理论值 {:.4f}'.format(w.std().item(), (2 / 128) ** 0.5))
nn.init.kaiming_uniform_(w, a=0, mode='fan_out')
print('kaiming_uniform_ std {:.4f}'.format(w.std().item()))
nn.init.constant_(w, 0.3)
print('constant_', w.unique())
nn.init.zeros_(w)
print('zeros_', w.abs().sum().item())
e = torch.empty(3, 5)
nn.init.eye_(e)
print(e)
nn.init.orthogonal_(e)
print('orthogonal_: W W^T 是单位阵吗:', torch.allclose(e @ e.t(), torch.eye(3), atol=1e-5))


# ----------------------------------- 用 apply 初始化整个模型 -----------------------------------
class SmallCNN(nn.Module):
    def __init__(self):
        super(SmallCNN, self).__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(x.view(x.size(0), -1))


def weights_init(m):
    classname = m.__class__.__name__
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight.data, nonlinearity='relu')
        if m.bias is not None:
            nn.init.constant_(m.bias.data, 0.0)
    elif isinstance(m, nn.BatchNorm2d):
        m.weight.data.fill_(1)
        m.bias.data.zero_()
    elif classname.find('Linear') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.01)
        nn.init.zeros_(m.bias)
    print('初始化了', classname)


model = SmallCNN()
model.apply(weights_init)
print(model.conv.bias, model.bn.weight)
print('fc std: {:.4f}'.format(model.fc.weight.std().item()))
print(model(torch.randn(2, 1, 8, 8)))
