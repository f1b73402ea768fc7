# title: 常见错误：对同一张图 backward 两次，用 try/except 打印错误信息
# expect: match
import torch

x = torch.tensor(3.0, requires_grad=True)
y = x.exp() * 2
y.backward(retain_graph=True)
print("第一次:", x.grad)
y.backward()
print("第二次（retain_graph 之后）:", x.grad)
z = x.exp() * 3
z.backward()
try:
    z.backward()
except RuntimeError as e:
    print("出错了:", str(e).split('.')[0])
