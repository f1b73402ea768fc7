# title: 2.2.2 Tensor的算术操作、索引与改变形状
# expect: match

import torch

x = torch.randn(5, 3)
y = torch.rand(5, 3)

# 加法写法一：运算符
print(x + y)

# 加法写法二：torch.add
print(torch.add(x, y))

# 把结果写进事先准备好的 result 里
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)

# 加法写法三：原地加（inplace）
# 把x加到y身上，y自己被改掉
y.add_(x)
print(y)

# 带下划线后缀的方法（add_、copy_、t_ ...）都是原地修改

# 切片出来的y是x的一部分，不是拷贝
y = x[1, :]
y += 1
print(y)
print(x[1, :])  # x的第1行也变了，说明两者共用一块内存

# 按下标挑行、按条件挑元素、找出满足条件的位置
print(torch.index_select(x, 0, torch.tensor([0, 2])))
print(torch.masked_select(x, x > 0.5))
print(torch.nonzero(x > 1.0))

# view 改形状
y = x.view(15)
z = x.view(-1, 5)  # 写-1让PyTorch自己算这一维的长度
print(x.size(), y.size(), z.size())

# view 出来的 y、z 和 x 还是同一份数据
x += 1
print(x)
print(y)  # y 也跟着变了

# 先 clone 一份再 view，就和 x 脱钩了
x_cp = x.clone().view(15)
x -= 1
print(x)
print(x_cp)

# 只有一个元素的张量可以用 item() 取出Python数
x = torch.randn(1)
print(x)
print(x.item())

# 转置、矩阵乘法、迹、对角线
a = torch.tensor([[1., 2.], [3., 4.]])
print(a.t())
print(torch.mm(a, a))
print(a.trace(), a.diag())
