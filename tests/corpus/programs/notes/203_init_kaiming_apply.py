# title: weight init with apply: kaiming_normal_, xavier_normal_, orthogonal_, zeros_, trunc_normal_
# expect: match
import torch
import torch.nn as nn

class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(inplace=True),
            nn.MaxPool2d(2), nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(8, 3))
        self._init_weights()

    def _init_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.constant_(m.bias, 0.1)

    def forward(self, x):
        return self.classifier(self.features(x))

torch.manual_seed(0)
net = CNN()
w = torch.empty(3, 5)
nn.init.xavier_normal_(w, gain=nn.init.calculate_gain('tanh'))
nn.init.orthogonal_(w)
print(w @ w.T)
x = torch.randn(2, 1, 8, 8)
out = net(x)
out.sum().backward()
print(out.shape, net.features[0].weight.grad.abs().sum() > 0)
for name, module in net.named_modules():
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        print(name, tuple(module.weight.shape), round(module.weight.std().item(), 3))
