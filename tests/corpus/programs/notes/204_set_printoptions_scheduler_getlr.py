# title: set_printoptions precision, StepLR get_lr vs get_last_lr, param_groups printing
# expect: match
import torch
import torch.nn as nn
import torch.optim as optim

torch.set_printoptions(precision=2, sci_mode=False)
torch.manual_seed(0)
model = nn.Linear(3, 1)
print(model.weight)
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(5):
    optimizer.zero_grad()
    loss = model(torch.randn(4, 3)).pow(2).mean()
    loss.backward()
    optimizer.step()
    scheduler.step()
    print(epoch, scheduler.get_last_lr(), optimizer.param_groups[0]['lr'])
print(optimizer.state_dict()['param_groups'])
print(torch.tensor([1e-5, 123456.789]))
