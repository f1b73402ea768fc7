# title: 张量的索引与变换：index_select、masked_select、reshape、transpose、squeeze
# expect: match

import torch
torch.manual_seed(1)

# ======================================= 索引 =======================================
# index_select：沿着dim挑出index指定的那些行/列
t = torch.randint(0, 9, size=(3, 3))
idx = torch.tensor([0, 2], dtype=torch.long)  # 注意index必须是long类型
t_select = torch.index_select(t, dim=0, index=idx)
print("原张量:\n{}\n取第0行和第2行:\n{}".format(t, t_select))

# masked_select：挑出mask为True的元素，结果被拉成一维
mask = t.le(5)  # le: 小于等于；还有 ge、gt、lt 可以用
t_select = torch.masked_select(t, mask)
print("mask:\n{}\n<=5 的元素: {}".format(mask, t_select))

# ======================================= 变换 =======================================
# reshape：原张量内存连续时，结果和原张量共用数据
t = torch.randperm(8)
t_reshape = torch.reshape(t, (-1, 2, 2))  # -1 表示这个维度由其他维度算出来
print("reshape前 {}\nreshape后\n{}".format(t, t_reshape))

t[0] = 100
print("改了t[0]之后 t_reshape[0, 0, 0] =", t_reshape[0, 0, 0].item())
print("两者数据指针相同:", t.data_ptr() == t_reshape.data_ptr())

# transpose：交换两个维度，比如把 (C, H, W) 换成 (C, W, H)
t = torch.rand((2, 3, 4))
t_transpose = torch.transpose(t, dim0=1, dim1=2)
print("transpose前 {} -> transpose后 {}".format(tuple(t.shape), tuple(t_transpose.shape)))
print("转置后内存还连续吗:", t_transpose.is_contiguous())

# torch.t：二维张量转置
m = torch.arange(6).view(2, 3)
print(m.t())

# squeeze：去掉长度为1的维度，可以指定只去掉某一维
t = torch.rand((1, 2, 3, 1))
t_sq = torch.squeeze(t)
t_0 = torch.squeeze(t, dim=0)
t_1 = torch.squeeze(t, dim=1)
print(t.shape)
print(t_sq.shape)
print(t_0.shape)
print(t_1.shape)

# unsqueeze：在dim处插入一个长度为1的维度
t = torch.arange(4)
print(torch.unsqueeze(t, dim=0).shape, torch.unsqueeze(t, dim=1).shape)

# 高级索引
x = torch.arange(12).view(3, 4)
print(x[x > 5])
print(x[[0, 2], [1, 3]])
print(x[:, -1], x[1, ::2])
print(torch.where(x > 5, x, torch.zeros_like(x)))
