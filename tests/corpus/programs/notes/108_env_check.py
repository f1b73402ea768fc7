# title: 环境检查：打印 torch 版本、CUDA 版本、设备数量
# expect: match
import torch
print("PyTorch 版本:", torch.__version__)
print("CUDA 版本:", torch.version.cuda)
print("CUDA 是否可用:", torch.cuda.is_available())
print("GPU 数量:", torch.cuda.device_count())
if torch.cuda.is_available():
    print(torch.cuda.get_device_name(0))
x = torch.rand(5, 3)
print(x)
