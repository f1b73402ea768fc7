# title: 自动求导 torch.autograd.backward：retain_graph 与 grad_tensors
# expect: match

import torch
torch.manual_seed(10)

# ====================================== retain_graph ==============================================
flag = True
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)

    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward(retain_graph=True)  # 保存计算图，才可以再反向传播一次
    print(w.grad)
    y.backward()
    print(w.grad)  # 梯度累加了

    # 不保存计算图时，第二次反向传播会报错
    y2 = torch.mul(torch.add(w, x), torch.add(w, 1))
    y2.backward()
    try:
        y2.backward()
    except RuntimeError as e:
        print("第二次backward报错：", "Trying to backward through the graph a second time" in str(e))

# ====================================== grad_tensors ==============================================
flag = True
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)

    a = torch.add(w, x)
    b = torch.add(w, 1)

    y0 = torch.mul(a, b)    # y0 = (x+w) * (w+1)    dy0/dw = 8
    y1 = torch.add(a, b)    # y1 = (x+w) + (w+1)    dy1/dw = 2

    loss = torch.cat([y0, y1], dim=0)       # 拼成一个长度为2的向量
    grad_tensors = torch.tensor([1., 3.])

    loss.backward(gradient=grad_tensors)    # 非标量要给每个分量一个权重

    print(w.grad)  # 1 * 8 + 3 * 2 = 14

# ====================================== torch.autograd.backward ==============================================
flag = True
if flag:
    w = torch.tensor([-1.], requires_grad=True)
    x = torch.tensor([4.], requires_grad=True)
    y = w * x ** 2
    torch.autograd.backward(tensors=[y], grad_tensors=[torch.tensor([1.])])
    print("w.grad = {}, x.grad = {}".format(w.grad, x.grad))  # x^2=16, 2wx=-8
