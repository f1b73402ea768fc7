# title: 优化器 optim.SGD 的属性与方法：param_groups、state、defaults、step、zero_grad、add_param_group、state_dict
# expect: match

import torch
import torch.optim as optim

torch.manual_seed(1)

weight = torch.randn((2, 3), requires_grad=True)
weight.grad = torch.full((2, 3), 0.5)

optimizer = optim.SGD([weight], lr=0.2)

# 基本属性
print("defaults:", optimizer.defaults)
print("param_groups 的个数:", len(optimizer.param_groups))
print("param_groups[0] 的 keys:", sorted(optimizer.param_groups[0].keys()))
print("state:", optimizer.state)

# ----------------------------------- 1 step -----------------------------------
flag = 1
if flag:
    print("step之前:\n{}".format(weight.data))
    optimizer.step()  # 梯度全是0.5，lr=0.2，所以每个元素减0.1
    print("step之后:\n{}".format(weight.data))

# ----------------------------------- 2 zero_grad -----------------------------------
flag = 1
if flag:
    print("weight in optimizer 和 weight 是同一个对象:", optimizer.param_groups[0]['params'][0] is weight)
    print("zero_grad之前的梯度:\n{}".format(weight.grad))
    optimizer.zero_grad()  # 新版本默认 set_to_none=True
    print("zero_grad之后的梯度: {}".format(weight.grad))

# ----------------------------------- 3 add_param_group -----------------------------------
flag = 1
if flag:
    print("第0组的学习率:", optimizer.param_groups[0]['lr'])

    w2 = torch.randn((2, 2), requires_grad=True)
    optimizer.add_param_group({"params": w2, 'lr': 0.001, 'momentum': 0.5})

    print("当前参数组个数: ", len(optimizer.param_groups))
    for i, group in enumerate(optimizer.param_groups):
        print("第{}组: lr={}, momentum={}, 参数形状={}".format(
            i, group['lr'], group['momentum'], [tuple(p.shape) for p in group['params']]))

# ----------------------------------- 4 state_dict -----------------------------------
flag = 1
if flag:
    optimizer = optim.SGD([weight], lr=0.2, momentum=0.8)
    opt_state_dict = optimizer.state_dict()
    print("还没step时的state_dict:", opt_state_dict)

    for i in range(4):
        weight.grad = torch.full((2, 3), 0.5)
        optimizer.step()

    sd = optimizer.state_dict()
    print("state_dict after step 的 keys:", list(sd.keys()))
    print("momentum_buffer:\n", sd['state'][0]['momentum_buffer'])

# ----------------------------------- 5 load_state_dict -----------------------------------
flag = 1
if flag:
    optimizer_new = optim.SGD([weight], lr=0.5, momentum=0.1)
    optimizer_new.load_state_dict(sd)  # 超参数和动量都从 state_dict 里恢复
    print("恢复后的 lr={}, momentum={}".format(optimizer_new.param_groups[0]['lr'],
                                             optimizer_new.param_groups[0]['momentum']))
    print(torch.equal(optimizer_new.state[weight]['momentum_buffer'], sd['state'][0]['momentum_buffer']))
