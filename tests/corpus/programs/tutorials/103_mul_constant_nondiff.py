# title: custom Functions with a non-tensor argument and mark_non_differentiable
# expect: match
import torch

class MulConstant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None

class SortIdx(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(x, idx)
        return values, idx

    @staticmethod
    def backward(ctx, g1, g2):
        x, idx = ctx.saved_tensors
        grad_input = torch.zeros_like(x)
        grad_input.index_add_(0, idx, g1)
        return grad_input

a = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
b = MulConstant.apply(a, 5.5)
vals, idx = SortIdx.apply(b)
print(vals, idx, idx.requires_grad)
(vals * torch.arange(3.0)).sum().backward()
print(a.grad)
