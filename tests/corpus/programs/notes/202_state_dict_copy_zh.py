# title: 保存最好的模型：copy.deepcopy(state_dict)、load_state_dict、requires_grad 检查
# expect: match
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
x = torch.randn(64, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
best_loss, best_state = float("inf"), None
for step in range(60):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    if loss.item() < best_loss:
        best_loss = loss.item()
        best_state = copy.deepcopy(model.state_dict())
print(f"最好的损失: {best_loss:.5f}")
print(list(best_state.keys()))
model.load_state_dict(best_state)
print(nn.functional.mse_loss(model(x), y).item() <= best_loss + 1e-6)
print(opt.state_dict()["param_groups"][0]["momentum"])
print(sum(p.numel() for p in model.parameters()), all(p.requires_grad for p in model.parameters()))
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape)
nn.utils.vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[0].bias)
