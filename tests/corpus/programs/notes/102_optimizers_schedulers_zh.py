# title: 优化器笔记：Adam betas、AdamW、RMSprop、add_param_group、state_dict、OneCycleLR、CosineAnnealingWarmRestarts
# expect: match
import torch
import torch.optim as optim

torch.manual_seed(1)
weight = torch.randn((2, 2), requires_grad=True)
weight.grad = torch.ones((2, 2))
optimizer = optim.SGD([weight], lr=0.1, momentum=0.9)
print("weight before step:{}".format(weight.data))
optimizer.step()
print("weight after step:{}".format(weight.data))
w2 = torch.randn((3, 3), requires_grad=True)
optimizer.add_param_group({"params": w2, 'lr': 0.0001})
print("optimizer.param_groups is\n{}".format(len(optimizer.param_groups)))
opt_state_dict = optimizer.state_dict()
print("state_dict before step:\n", opt_state_dict['param_groups'][0]['lr'])
for _ in range(3):
    optimizer.step()
print("state_dict after step keys:\n", list(optimizer.state_dict()['state'].keys()))

for name, opt_cls, kw in [("Adam", optim.Adam, dict(betas=(0.9, 0.99), eps=1e-8)),
                          ("AdamW", optim.AdamW, dict(weight_decay=0.01)),
                          ("RMSprop", optim.RMSprop, dict(alpha=0.9)),
                          ("Adagrad", optim.Adagrad, {}),
                          ("Adadelta", optim.Adadelta, {}),
                          ("NAdam", optim.NAdam, {})]:
    x = torch.tensor([1.5, -0.5], requires_grad=True)
    opt = opt_cls([x], lr=0.1, **kw)
    for i in range(20):
        loss = (x ** 2).sum() + x[0] * x[1]
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"{name:8s} 最终 x = {x.data}, loss = {loss.item():.5f}")

x = torch.tensor([1.0], requires_grad=True)
opt = optim.SGD([x], lr=0.1)
sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
lrs = []
for i in range(10):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 4))
print("OneCycleLR:", lrs)
opt = optim.SGD([x], lr=0.1)
sched = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001)
lrs = []
for epoch in range(8):
    opt.step()
    sched.step()
    lrs.append(round(opt.param_groups[0]['lr'], 4))
print("WarmRestarts:", lrs)
sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1)
for val_loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.98]:
    opt.step()
    sched.step(val_loss)
print("Plateau lr:", opt.param_groups[0]['lr'])
