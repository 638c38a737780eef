"""Tensor printing matches torch's repr, and shapes behave like torch.Size."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from polygrad._core._backend import current
from polygrad._core._size import CallableSize, Size
from polygrad._core._torch_type_names import legacy_type_name
from polygrad._spellings.methods._format import tensor_repr


class _DType:
    def __init__(self, name: str) -> None:
        self.name = name


class _Node:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class _Fake:
    """The few attributes of a polygrad Tensor that ``tensor_repr`` reads, from a torch tensor."""

    def __init__(self, t: Any) -> None:
        import torch

        d = t.detach()
        self._backend = current()[0]  # the default backend: no backend= in the repr
        self._data = (d.float() if d.dtype == torch.bfloat16 else d).numpy()
        self.dtype = _DType(str(t.dtype).removeprefix("torch."))
        self.requires_grad = t.requires_grad
        self._grad_fn = None if t.grad_fn is None else _Node(type(t.grad_fn).__name__)
        self.device = t.device


inf, nan = float("inf"), float("nan")

# name -> builder of a torch tensor (seeded before each build)
_CASES: dict[str, Any] = {
    "0d float": lambda torch: torch.tensor(3.6332),
    "0d int": lambda torch: torch.tensor(5),
    "0d bool": lambda torch: torch.tensor(True),
    "0d f64": lambda torch: torch.tensor(1.5, dtype=torch.float64),
    "0d nan": lambda torch: torch.tensor(nan),
    "0d sum grad_fn": lambda torch: (torch.rand(3, requires_grad=True) * 2).sum(),
    "2d requires_grad": lambda torch: torch.rand(2, 3).requires_grad_(),
    "int-valued floats": lambda torch: torch.arange(3.0).requires_grad_(),
    "sci grad_fn": lambda torch: (
        torch.rand(2, 5, requires_grad=True) * torch.tensor([1e-3, 1, 10, 100, 0.2])
    ),
    "int64": lambda torch: torch.tensor([1, 2, 3]),
    "int32": lambda torch: torch.tensor([1, -2, 300], dtype=torch.int32),
    "uint8": lambda torch: torch.tensor([1, 2, 255], dtype=torch.uint8),
    "int8": lambda torch: torch.tensor([1, -2, 3], dtype=torch.int8),
    "bool": lambda torch: torch.tensor([True, False, True]),
    "bool 2d": lambda torch: torch.rand(4, 5) > 0.5,
    "float64": lambda torch: torch.tensor([1.5, 2.25, -3.125], dtype=torch.float64),
    "float16": lambda torch: torch.tensor([1.5, 2.1, -3.3], dtype=torch.float16),
    "float16 sci": lambda torch: torch.tensor([6e-5, 60000.0], dtype=torch.float16),
    "bfloat16": lambda torch: torch.tensor([1.5, 2.1, -3.3], dtype=torch.bfloat16),
    "empty": lambda torch: torch.empty(0),
    "empty 0x3": lambda torch: torch.empty(0, 3),
    "empty int64": lambda torch: torch.empty(0, dtype=torch.int64),
    "empty f64 2x0": lambda torch: torch.empty(2, 0, dtype=torch.float64),
    "empty requires_grad": lambda torch: torch.empty(0, 3, requires_grad=True),
    "large": lambda torch: torch.tensor([1e10, 1.0, 2.0]),
    "small": lambda torch: torch.tensor([1e-5, 1.0, 2.0]),
    "int mode big": lambda torch: torch.tensor([1e8, 2.0]),
    "wide range": lambda torch: torch.tensor([-1e-20, 3e30]),
    "nan inf": lambda torch: torch.tensor([nan, inf, -inf, 1.5]),
    "nan inf int mode": lambda torch: torch.tensor([nan, inf, 1.0, 2.0]),
    "only nonfinite": lambda torch: torch.tensor([nan, inf]),
    "zeros": lambda torch: torch.zeros(2, 3),
    "negative zero": lambda torch: torch.tensor([-0.0, 0.0, 1.0]),
    "negatives": lambda torch: torch.tensor([-1.2345, 2.5, -100.75]),
    "3d": lambda torch: torch.arange(24.0).reshape(2, 3, 4) / 7,
    "4d int": lambda torch: torch.arange(36).reshape(2, 3, 2, 3),
    "5d": lambda torch: torch.randn(2, 1, 2, 1, 2),
    "wrapping 1d": lambda torch: torch.linspace(-5, 5, 40),
    "wrapping ints": lambda torch: torch.arange(100) * 12345,
    "wrapping 2d": lambda torch: torch.randn(3, 20),
    "wrapping sci 2d": lambda torch: torch.randn(4, 4) * 1e6,
    "wrapping suffixes": lambda torch: torch.randn(30, dtype=torch.float64, requires_grad=True) * 3,
    "1000 elements": lambda torch: torch.arange(1000.0).reshape(10, 100),
    "summarized 1d": lambda torch: torch.arange(2000.0),
    "summarized 2d": lambda torch: torch.randn(50, 50),
    "summarized 3d int": lambda torch: torch.arange(3000).reshape(10, 30, 10),
    "summarized tall": lambda torch: torch.randn(1001, 1),
    "summarized requires_grad": lambda torch: torch.randn(40, 40, requires_grad=True),
    "complex": lambda torch: torch.tensor([1 + 2j, -3.5 - 0.25j, 0j]),
    "complex 0d": lambda torch: torch.tensor(1 - 2j),
    "complex128": lambda torch: torch.tensor([1 + 2j, 1e5 - 1j], dtype=torch.complex128),
    "complex wrapping": lambda torch: torch.randn(3, 10, dtype=torch.cfloat),
    "complex signed zero": lambda torch: torch.complex(
        torch.tensor([1.0, 2.0]), torch.tensor([-0.0, 0.0])
    ),
    "complex summarized": lambda torch: torch.randn(1200, dtype=torch.cfloat),
    "complex grad_fn": lambda torch: torch.tensor(1 + 1j, requires_grad=True) * 2,
}


@pytest.mark.parametrize("case", list(_CASES))
def test_repr_matches_torch(case: str) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    t = _CASES[case](torch)
    assert tensor_repr(_Fake(t)) == repr(t).replace("torch.", "polygrad.")


def test_cuda_device_suffix() -> None:
    torch = pytest.importorskip("torch")
    fake = _Fake(torch.tensor([1.0, 2.0], requires_grad=True) * 2)
    fake.device = "cuda:0"
    assert tensor_repr(fake) == "tensor([2., 4.], device='cuda:0', grad_fn=<MulBackward0>)"


def test_accumulate_grad_name_strips_namespace() -> None:
    torch = pytest.importorskip("torch")
    fake = _Fake(torch.tensor([1.0]))
    fake._grad_fn = _Node("torch::autograd::AccumulateGrad")
    assert tensor_repr(fake) == "tensor([1.], grad_fn=<AccumulateGrad>)"


def test_legacy_type_names() -> None:
    torch = pytest.importorskip("torch")
    for dt in (
        torch.float32,
        torch.float64,
        torch.float16,
        torch.bfloat16,
        torch.int64,
        torch.int32,
        torch.int16,
        torch.int8,
        torch.uint8,
        torch.bool,
        torch.complex64,
        torch.complex128,
    ):
        t = torch.zeros(2, dtype=dt)
        assert legacy_type_name(_Fake(t)) == t.type()


def test_size() -> None:
    s = Size((2, 3))
    assert repr(s) == str(s) == "polygrad.Size([2, 3])"
    assert s == (2, 3) and s.numel() == 6 and Size(()).numel() == 1
    assert isinstance(s[1:], Size) and isinstance(s + (4,), Size) and isinstance((4,) + s, Size)
    assert Size([None, 3]) == (None, 3)
    assert pickle.loads(pickle.dumps(s)) == s


def test_callable_size() -> None:
    c = CallableSize((2, 3))
    assert c == 6 and repr(c) == "6" and c * 2 == 12
    assert c() == Size((2, 3)) and isinstance(c(), Size)
    assert c(1) == 3 and c(-2) == 2 and c(dim=0) == 2
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got 2\)"):
        c(2)
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        CallableSize(())(0)
    assert CallableSize(()) == 1 and CallableSize((0, 3)) == 0
