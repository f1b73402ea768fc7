# title: 优化器与学习率调度：SGD动量、Adam、StepLR、CosineAnnealingLR、OneCycleLR、ReduceLROnPlateau
# expect: match
import torch
import torch.nn as nn
import torch.optim as optim

def make():
    torch.manual_seed(0)
    return nn.Linear(2, 1)

x = torch.randn(16, 2)
y = x @ torch.tensor([[2.0], [-1.0]]) + 0.5
for name, ctor in [("SGD", lambda p: optim.SGD(p, lr=0.1)),
                   ("SGD+momentum", lambda p: optim.SGD(p, lr=0.1, momentum=0.9)),
                   ("Nesterov", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
                   ("Adam", lambda p: optim.Adam(p, lr=0.1, betas=(0.9, 0.999))),
                   ("AdamW", lambda p: optim.AdamW(p, lr=0.1, weight_decay=0.01)),
                   ("RMSprop", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9)),
                   ("Adagrad", lambda p: optim.Adagrad(p, lr=0.5))]:
    model = make()
    opt = ctor(model.parameters())
    for step in range(20):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    print(f"{name:>12s} 最终损失: {loss.item():.5f}")

model = make()
opt = optim.SGD(model.parameters(), lr=0.1)
print(opt.state_dict()['param_groups'][0]['lr'])
schedulers = {
    "StepLR": lambda o: optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1),
    "ExponentialLR": lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=10),
    "LambdaLR": lambda o: optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch),
    "OneCycleLR": lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=10),
    "LinearLR": lambda o: optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=4),
}
for name, make_sched in schedulers.items():
    model = make()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = make_sched(opt)
    lrs = []
    for epoch in range(8):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
        sched.step()
        lrs.append(round(sched.get_last_lr()[0], 5))
    print(name, lrs)

model = make()
opt = optim.Adam(model.parameters(), lr=0.1)
plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, 'min', patience=1, factor=0.5)
for epoch in range(6):
    val_loss = 1.0
    plateau.step(val_loss)
    print(epoch, opt.param_groups[0]['lr'])
