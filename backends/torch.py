"""PyTorch backend: CPU and CUDA tensors under polygrad's graph.

``device=`` takes ``"cpu"``, ``"cuda"``, ``"cuda:1"``, an int (a CUDA index) or a
``torch.device``; data stays on its device through forward and backward. torch's
own autograd never records polygrad's work: arrays are detached when they enter
polygrad (``adopt``), so no raw tensor polygrad computes with requires grad.
Random numbers come from polygrad's own ``torch.Generator`` per device, so
``pg.manual_seed(0); pg.randn(3, backend="torch")`` equals
``torch.manual_seed(0); torch.randn(3)`` without touching torch's global state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ._base import Backend
from ._torch_namespace import namespace


class TorchBackend(Backend):
    name = "torch"
    special_module = "torch.special"
    saves_on_cpu = True
    distribution = "torch"
    xp = namespace  # array-api-compat's, with torch's departures from the standard corrected
    array_types = (torch.Tensor,)
    promotes_as_standard = False

    def __init__(self) -> None:
        super().__init__()
        self._seed: int | None = None
        self._generators: dict[torch.device, torch.Generator] = {}

    def compile_replay(self, replay: Any, native: bool) -> Any:
        """pg.compile on torch: the replay as it is, or under ``torch.compile`` when asked."""
        return torch.compile(replay) if native else replay

    def promote(self, a: Any, b: Any) -> tuple[Any, Any]:
        if a.dtype is b.dtype:
            return a, b
        dtype = torch.promote_types(a.dtype, b.dtype)
        return a.to(dtype), b.to(dtype)

    def adopt(self, array: Any) -> Any:
        # A tensor that requires grad would make torch record every op polygrad runs on it.
        return array.detach() if array.requires_grad else array

    def asarray(
        self, obj: Any, dtype: Any = None, device: Any = None, copy: bool | None = None
    ) -> Any:
        if isinstance(obj, torch.Tensor):
            obj = obj.detach()
        return super().asarray(obj, dtype=dtype, device=device, copy=copy)

    def to_numpy(self, array: Any) -> np.ndarray:
        array = array.detach().resolve_conj().resolve_neg()
        if array.dtype == torch.bfloat16:  # NumPy has no bfloat16
            array = array.float()
        return array.cpu().numpy()

    def copy(self, array: Any) -> Any:
        return array.clone()

    def complex(self, real: Any, imag: Any) -> Any:
        return torch.complex(real, imag)

    # -- devices -------------------------------------------------------------------
    def device_of(self, array: Any) -> Any:
        return array.device

    def default_device(self) -> Any:
        return torch.get_default_device()

    def devices(self) -> list[Any]:
        cuda = [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
        return [torch.device("cpu"), *cuda]

    def parse_device(self, device: Any) -> Any:
        if device is None:
            return None
        parsed = torch.device("cuda", device) if isinstance(device, int) else torch.device(device)
        if parsed.type == "cuda":
            count = torch.cuda.device_count() if torch.cuda.is_available() else 0
            if count == 0:
                raise RuntimeError(
                    f"device {device!r} requested but CUDA is not available to torch"
                )
            if parsed.index is not None and parsed.index >= count:
                raise RuntimeError(
                    f"device {device!r} requested but torch sees only {count} CUDA device(s)"
                )
        return parsed

    # -- random numbers ----------------------------------------------------------------
    def seed(self, seed: int) -> None:
        self._seed = seed
        self._generators.clear()

    def _generator(self, device: Any) -> torch.Generator:
        device = torch.get_default_device() if device is None else torch.device(device)
        if device.type == "cuda" and device.index is None:
            device = torch.device("cuda", torch.cuda.current_device())
        generator = self._generators.get(device)
        if generator is None:
            generator = torch.Generator(device=device)
            if self._seed is None:
                generator.seed()
            else:
                generator.manual_seed(self._seed)
            self._generators[device] = generator
        return generator

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return torch.rand(
            shape, generator=self._generator(device), dtype=self.dtype(dtype), device=device
        )

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return torch.randn(
            shape, generator=self._generator(device), dtype=self.dtype(dtype), device=device
        )

    # -- scatter ---------------------------------------------------------------------
    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        out = torch.zeros(shape, dtype=dtype, device=values.device)
        keys = key if isinstance(key, tuple) else (key,)
        if all(isinstance(k, torch.Tensor) for k in keys):
            return out.index_put_(keys, values, accumulate=True)
        # Mixed keys (slices with index arrays): find each value's flat target position.
        positions = torch.arange(out.numel(), device=out.device).reshape(shape)[key]
        values = torch.broadcast_to(values, positions.shape)
        return out.view(-1).index_add_(0, positions.reshape(-1), values.reshape(-1)).view(shape)

    # -- factorizations with LAPACK's info (torch's own) ----------------------------------
    def lu_factor_ex(self, a: Any) -> tuple[Any, Any, Any]:
        return tuple(torch.linalg.lu_factor_ex(a))

    def inv_ex(self, a: Any) -> tuple[Any, Any]:
        return tuple(torch.linalg.inv_ex(a))

    def cholesky_ex(self, a: Any) -> tuple[Any, Any]:
        return tuple(torch.linalg.cholesky_ex(a))

    def matrix_exp(self, a: Any) -> Any:
        return torch.linalg.matrix_exp(a)

    def eigh_of_triangle(self, a: Any, uplo: str) -> tuple[Any, Any]:
        return tuple(torch.linalg.eigh(a, UPLO=uplo))


backend = TorchBackend()
