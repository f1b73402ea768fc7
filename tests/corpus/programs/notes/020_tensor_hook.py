# title: Hook函数（一）：torch.Tensor.register_hook 读取与修改梯度
# expect: match

import torch

# ----------------------------------- 1 tensor hook：获取非叶子结点的梯度 -----------------------------------
flag = 1
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    a_grad = list()

    def grad_hook(grad):
        a_grad.append(grad)

    handle = a.register_hook(grad_hook)

    y.backward()

    # a是非叶子结点，a.grad是None，但hook拿到了它的梯度
    print("w/x的梯度:", w.grad, x.grad, " a.grad:", a.grad)
    print("hook 抓到的a的梯度:", a_grad[0])
    handle.remove()

# ----------------------------------- 2 tensor hook：修改叶子结点的梯度 -----------------------------------
flag = 1
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    a_grad = list()

    def grad_hook(grad):
        grad *= 2
        return grad * 3

    handle = w.register_hook(grad_hook)

    y.backward()

    # 查看梯度：原本是8，hook返回的新梯度是 8*2*3 = 48
    print("被hook改过的 w.grad:", w.grad)
    handle.remove()

# ----------------------------------- 3 多个hook按注册顺序执行 -----------------------------------
flag = 1
if flag:
    v = torch.tensor([0., 0., 0.], requires_grad=True)
    h1 = v.register_hook(lambda grad: grad * 2)   # 梯度乘2
    h2 = v.register_hook(lambda grad: grad + 1)   # 再加1
    v.backward(torch.tensor([1., 2., 3.]))
    print("两个hook之后的梯度:", v.grad)  # (g * 2) + 1

    h1.remove()
    h2.remove()
    v.grad.zero_()
    v.backward(torch.tensor([1., 2., 3.]))
    print("移除hook之后的梯度:", v.grad)

# ----------------------------------- 4 用hook做梯度裁剪 -----------------------------------
flag = 1
if flag:
    torch.manual_seed(0)
    w = torch.randn(5, requires_grad=True)
    w.register_hook(lambda g: g.clamp(-1.0, 1.0))
    loss = (10 * w ** 2).sum()
    loss.backward()
    print("原始梯度应为 20*w:", (20 * w).detach())
    print("裁剪之后:", w.grad)

# ----------------------------------- 5 retain_grad 与 hook 的对比 -----------------------------------
flag = 1
if flag:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = x * x
    z.retain_grad()
    seen = {}
    z.register_hook(lambda g: seen.setdefault('z', g.clone()))
    out = z.mean()
    out.backward()
    print("retain_grad:", z.grad, " hook:", seen['z'])
