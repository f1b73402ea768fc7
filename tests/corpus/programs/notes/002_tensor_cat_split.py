# title: 张量的拼接与切分：cat、stack、chunk、split
# expect: match

import torch

# ======================================= example 1 =======================================
# torch.cat：在已有的维度上拼接，不增加维度
flag = True
if flag:
    t = torch.ones((2, 3))
    t_0 = torch.cat([t, t], dim=0)
    t_1 = torch.cat([t, t, t], dim=1)
    print("按dim=0拼: {}\n形状 {}".format(t_0, t_0.shape))
    print("按dim=1拼三个: 形状 {}".format(t_1.shape))

# ======================================= example 2 =======================================
# torch.stack：在新创建的维度上拼接
flag = True
if flag:
    t = torch.ones((2, 3))
    t_stack = torch.stack([t, t, t], dim=0)
    print("stack之后多了一维: {}".format(t_stack.shape))
    t_stack2 = torch.stack([t, t], dim=2)
    print("在最后一维stack: {}".format(t_stack2.shape))

# ======================================= example 3 =======================================
# torch.chunk：按维度平均切分，若不能整除，最后一份张量小于其他张量
flag = True
if flag:
    a = torch.ones((2, 7))
    list_of_tensors = torch.chunk(a, dim=1, chunks=3)
    for idx, t in enumerate(list_of_tensors):
        print("chunk 第{}块 形状 {}".format(idx, tuple(t.shape)))

# ======================================= example 4 =======================================
# torch.split：可以指定每一份的长度
flag = True
if flag:
    t = torch.arange(10).view(2, 5)
    list_of_tensors = torch.split(t, 2, dim=1)
    for idx, t_i in enumerate(list_of_tensors):
        print("split 每块2列, 第{}块:\n{}".format(idx, t_i))

    list_of_tensors = torch.split(t, [1, 3, 1], dim=1)
    for idx, t_i in enumerate(list_of_tensors):
        print(f"按[1, 3, 1]切, 第{idx}块形状 {tuple(t_i.shape)}")

    # 长度之和必须等于该维度的长度，否则报错
    try:
        torch.split(t, [2, 2], dim=1)
    except RuntimeError:
        print("split_size之和与维度长度不一致，报错")

# ======================================= example 5 =======================================
# 拼接后的张量参与计算，梯度会按切分回流
flag = True
if flag:
    w1 = torch.ones(2, requires_grad=True)
    w2 = torch.full((3,), 2.0, requires_grad=True)
    w = torch.cat([w1, w2])
    y = (w * torch.arange(5, dtype=torch.float)).sum()
    y.backward()
    print(w1.grad, w2.grad)
