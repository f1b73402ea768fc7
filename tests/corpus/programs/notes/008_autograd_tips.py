# title: autograd 的几个小贴士：梯度不自动清零、依赖叶子结点的requires_grad、叶子结点不能in-place
# expect: match

import torch

# ====================================== tips 1：梯度不会自动清零 ==============================================
flag = True
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)

    for i in range(4):
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)

        y.backward()
        print("第{}次: w.grad = {}".format(i, w.grad))  # 不清零就会一直累加

    print("----- 手动清零（第0次还带着上面累加的梯度） -----")
    for i in range(3):
        y = torch.mul(torch.add(w, x), torch.add(w, 1))
        y.backward()
        print("第{}次: w.grad = {}".format(i, w.grad))
        w.grad.zero_()  # 下划线表示原位操作

# ====================================== tips 2：依赖于叶子结点的结点，requires_grad默认为True ==============================================
flag = True
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)

    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    print(a.requires_grad, b.requires_grad, y.requires_grad)

    c = torch.tensor([3.])  # 不依赖叶子结点
    print(c.requires_grad, (c * 2).requires_grad, (c * w).requires_grad)

# ====================================== tips 3：原位操作 ==============================================
flag = True
if flag:
    a = torch.ones((1, ))
    id_before = id(a)
    a = a + torch.ones((1, ))
    print("a = a + 1 之后是同一个对象吗:", id(a) == id_before, a)

    a = torch.ones((1, ))
    id_before = id(a)
    a += torch.ones((1, ))
    print("a += 1 之后是同一个对象吗:", id(a) == id_before, a)

# ====================================== tips 3：叶子结点不可执行in-place操作 ==============================================
flag = True
if flag:
    w = torch.tensor([2.], requires_grad=True)
    x = torch.tensor([3.], requires_grad=True)

    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    try:
        w.add_(1)  # w 是需要梯度的叶子，直接原地改它不被允许
    except RuntimeError as e:
        print("报错了:", "leaf Variable that requires grad" in str(e))

    # 正确的做法：在no_grad下修改，或者修改 .data
    with torch.no_grad():
        w.add_(1)
    print("no_grad 下修改 w:", w)

    y.backward()
    print("w.grad:", w.grad)
