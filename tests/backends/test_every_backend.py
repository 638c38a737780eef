"""The same small programs on every installed backend, checked against torch.autograd (float64).

The seed tutorial's operations (x**2*exp(x) backward, accumulation, the
retain_graph error, no_grad, detach/.data, hooks, autograd.grad, indexing with
repeated indices, broadcasting, a tiny MLP), then the adapters' own duties:
seeding, dtypes, devices, scatter-add and item assignment, torch's autograd
staying out of polygrad's work, and selecting the backend.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS, is_installed

import polygrad as pg
from polygrad import array_api
from polygrad._core._backend import get_backend, per_backend_and_device

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1234)
X = RNG.standard_normal((3, 4))


def make(values: Any, backend: str, requires_grad: bool = False) -> pg.Tensor:
    """A float64 leaf holding ``values`` on ``backend``."""
    return pg.tensor(
        np.asarray(values, dtype=np.float64), backend=backend, requires_grad=requires_grad
    )


def tt(values: Any, requires_grad: bool = False) -> Any:
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def to_np(t: Any) -> np.ndarray:
    if isinstance(t, pg.Tensor):
        return t._backend.to_numpy(t._data)
    return t.detach().numpy()


def close(actual: Any, expected: Any, rtol: float = 1e-10) -> None:
    a, e = to_np(actual), to_np(expected)
    assert a.shape == e.shape
    np.testing.assert_allclose(a, e, rtol=rtol, atol=1e-12)


# -- the seed tutorial, on every backend ------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_x_squared_exp_backward(backend: str) -> None:
    x, tx = make(X, backend, True), tt(X, True)
    y, ty = x**2 * pg.exp(x), tx**2 * torch.exp(tx)
    y.backward(pg.ones_like(y))
    ty.backward(torch.ones_like(ty))
    close(y.detach(), ty)
    close(x.grad, tx.grad)
    assert y.grad_fn.name() == ty.grad_fn.name() == "MulBackward0"
    assert x.grad.backend == backend and type(x.grad._data) is type(x._data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_accumulation_and_retain_graph_error(backend: str) -> None:
    x = make([1.0], backend)
    w, b = make([0.3], backend, True), make([0.7], backend, True)
    z = w * x + b
    assert [n.name() if n else None for n, _ in z.grad_fn.next_functions] == [
        "MulBackward0",
        "torch::autograd::AccumulateGrad",
    ]
    z.backward(retain_graph=True)
    close(w.grad, tt([1.0]))
    z.backward()
    close(w.grad, tt([2.0]))
    tx, tw = tt([1.0]), tt([0.3], True)
    ty = tw * tx * tx  # MulBackward0 saves its inputs, so a second pass needs them
    ty.backward()
    with pytest.raises(RuntimeError) as expected:
        ty.backward()
    y = w * x * x
    y.backward()
    with pytest.raises(RuntimeError) as raised:
        y.backward()
    assert str(raised.value) == str(expected.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_grad_detach_and_data(backend: str) -> None:
    w = make([0.5], backend, True)
    with pg.no_grad():
        y = w * 2
    assert not y.requires_grad and y.grad_fn is None
    a = pg.tensor(np.ones((3, 4)), backend=backend, requires_grad=True)
    d = a.data.sigmoid_()  # changes a too (also where arrays are immutable), unseen by autograd
    assert not d.requires_grad and a.requires_grad and a._version == 0
    close(a.detach(), torch.sigmoid(torch.ones(3, 4, dtype=torch.float64)))
    alias = a.detach()
    alias.mul_(2)  # shares data and version counter with a
    assert a._version == alias._version == 1
    close(a.detach(), 2 * torch.sigmoid(torch.ones(3, 4, dtype=torch.float64)))
    assert abs(alias.mean().item() - 2 * float(torch.sigmoid(torch.tensor(1.0)))) < 1e-6
    assert abs(alias.std().item()) < 1e-12


@pytest.mark.parametrize("backend", BACKENDS)
def test_hooks_and_autograd_grad(backend: str) -> None:
    x, tx = make(X, backend, True), tt(X, True)
    y, ty = x * x, tx * tx
    seen = []
    y.register_hook(lambda g: seen.append(g.backend) or g * 3)
    ty.register_hook(lambda g: g * 3)
    (gx,) = pg.autograd.grad(y.sum(), x, retain_graph=True)
    (tgx,) = torch.autograd.grad(ty.sum(), tx, retain_graph=True)
    close(gx, tgx)
    assert seen == [backend]
    (ggx,) = pg.autograd.grad((x**3).sum(), x, create_graph=True)
    (tggx,) = torch.autograd.grad((tx**3).sum(), tx, create_graph=True)
    (h,) = pg.autograd.grad(ggx.sum(), x)
    (th,) = torch.autograd.grad(tggx.sum(), tx)
    close(h, th)


@pytest.mark.parametrize("backend", BACKENDS)
def test_repeated_indices_accumulate(backend: str) -> None:
    x, tx = make(X, backend, True), tt(X, True)
    index = [0, 2, 0, 0]
    key = pg.tensor(index, backend=backend)
    weights = RNG.standard_normal((4, 4))
    (x[key] * make(weights, backend)).sum().backward()
    (tx[torch.tensor(index)] * tt(weights)).sum().backward()
    close(x.grad, tx.grad)
    x.grad = None
    tx.grad = None
    if backend != "array_api_strict":  # the standard forbids mixing slices and index arrays
        (x[:, pg.tensor([1, 1, 3], backend=backend)] ** 2).sum().backward()
        (tx[:, torch.tensor([1, 1, 3])] ** 2).sum().backward()
        close(x.grad, tx.grad)


@pytest.mark.parametrize("backend", BACKENDS)
def test_setitem_is_differentiable(backend: str) -> None:
    x, tx = make(X, backend, True), tt(X, True)
    v, tv = make([5.0, 6.0, 7.0], backend, True), tt([5.0, 6.0, 7.0], True)
    y, ty = x * 1, tx * 1
    y[:, 1] = v * v
    ty[:, 1] = tv * tv
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    close(y.detach(), ty)
    close(x.grad, tx.grad)
    close(v.grad, tv.grad)


@pytest.mark.parametrize("backend", BACKENDS)
def test_inplace_after_save_keeps_forward_value(backend: str) -> None:
    """polygrad's deliberate improvement: torch raises here, polygrad keeps the saved value."""
    x = make(X, backend, True)
    y = x * 1
    z = y * y
    y.add_(1)
    z.sum().backward()
    np.testing.assert_allclose(to_np(x.grad), 2 * X, rtol=1e-12)
    np.testing.assert_allclose(to_np(y.detach()), X + 1, rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_broadcasting_reduction(backend: str) -> None:
    b_np = RNG.standard_normal((1, 4))
    x, b = make(X, backend, True), make(b_np, backend, True)
    tx, tb = tt(X, True), tt(b_np, True)
    ((x + b) * b).sum(0).mean().backward()
    ((tx + tb) * tb).sum(0).mean().backward()
    close(x.grad, tx.grad)
    close(b.grad, tb.grad)


@pytest.mark.parametrize("backend", BACKENDS)
def test_tiny_mlp(backend: str) -> None:
    shapes = {"w1": (4, 8), "b1": (8,), "w2": (8, 2), "b2": (2,)}
    values = {k: RNG.standard_normal(s) * 0.5 for k, s in shapes.items()}
    target = RNG.standard_normal((3, 2))
    p = {k: make(v, backend, True) for k, v in values.items()}
    t = {k: tt(v, True) for k, v in values.items()}

    def loss(lib: Any, params: dict[str, Any], x: Any, y: Any) -> Any:
        h = lib.tanh(x @ params["w1"] + params["b1"]).relu()
        out = lib.sigmoid(h @ params["w2"] + params["b2"])
        return ((out - y) ** 2).mean()

    loss(pg, p, make(X, backend), make(target, backend)).backward()
    loss(torch, t, tt(X), tt(target)).backward()
    for k in shapes:
        close(p[k].grad, t[k].grad)


# -- random numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_manual_seed_reproducible(backend: str) -> None:
    pg.manual_seed(7)
    first = [to_np(pg.rand(5, backend=backend)), to_np(pg.randn(2, 3, backend=backend))]
    pg.manual_seed(7)
    again = [to_np(pg.rand(5, backend=backend)), to_np(pg.randn(2, 3, backend=backend))]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], to_np(pg.rand(5, backend=backend)))
    assert ((first[0] >= 0) & (first[0] < 1)).all()
    assert first[0].dtype == np.float32


@pytest.mark.parametrize("backend", BACKENDS)
def test_seed_reaches_backend_loaded_later(backend: str) -> None:
    """``manual_seed`` before the adapter is loaded seeds it on load."""
    code = (
        "import sys, polygrad as pg\n"
        "if sys.argv[1] == 'late': pg.manual_seed(11)\n"
        "from polygrad._core._backend import get_backend; get_backend(sys.argv[2])\n"
        "if sys.argv[1] == 'early': pg.manual_seed(11)\n"
        "print(pg.rand(4, backend=sys.argv[2]).tolist())\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, when, backend], capture_output=True, text=True, check=True
        ).stdout
        for when in ("late", "early")
    ]
    assert runs[0] == runs[1] and runs[0].startswith("[")


def test_torch_stream_equals_torch() -> None:
    pg.manual_seed(3)
    ours = pg.randn(6, backend="torch")
    theirs = torch.randn(6, generator=torch.Generator().manual_seed(3))
    assert torch.equal(ours._data, theirs)


# -- dtypes, printing, devices ---------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_low_precision_dtypes(backend: str, dtype: str) -> None:
    adapter = get_backend(backend)
    try:
        adapter.dtype(dtype)
    except TypeError:
        pytest.skip(f"{backend} has no {dtype}")
    x = pg.tensor([1.0, 2.0, 3.0], dtype=dtype, backend=backend, requires_grad=True)
    (x * x).sum().backward()
    assert x.dtype == getattr(pg, dtype) and x.grad.dtype == x.dtype
    np.testing.assert_allclose(to_np(x.grad).astype(np.float64), [2.0, 4.0, 6.0])
    assert "requires_grad=True" in repr(x)


@pytest.mark.parametrize("backend", BACKENDS)
def test_repr_and_numpy(backend: str) -> None:
    x = make([[1.5, 2.0]], backend, True)
    assert "1.5000" in repr(x) and "requires_grad=True" in repr(x)
    assert isinstance(x.detach().numpy(), np.ndarray)
    assert x.sum().item() == 3.5


@pytest.mark.parametrize("backend", BACKENDS)
def test_cpu_device_spellings(backend: str) -> None:
    adapter = get_backend(backend)
    x = pg.zeros(2, backend=backend, device="cpu")
    assert str(adapter.to_numpy(x._data)) == "[0. 0.]"
    assert x.device == pg.zeros(2, backend=backend).device
    with pytest.raises(RuntimeError):
        pg.zeros(2, backend=backend, device="no-such-device:7")


def test_torch_device_objects_and_missing_cuda() -> None:
    x = pg.ones(2, backend="torch", device=torch.device("cpu"))
    assert x.device == torch.device("cpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            pg.ones(2, backend="torch", device="cuda:1")


def test_torch_data_stays_on_its_device_meta() -> None:
    """With data on the "meta" device, any stray CPU array in forward or backward would fail."""
    x = pg.tensor(torch.empty(3, 4, device="meta", dtype=torch.float64), requires_grad=True)
    b = pg.as_tensor(torch.empty(4, device="meta", dtype=torch.float64)).requires_grad_()
    y = pg.tanh(x * 2 + b) @ pg.zeros(4, 2, backend="torch", device="meta", dtype=pg.float64)
    (y.relu().sum() + x[pg.tensor([0, 0], backend="torch", device="meta")].sum()).backward()
    assert x.grad.device.type == b.grad.device.type == "meta"
    assert tuple(x.grad.shape) == (3, 4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_to_cpu_and_dtype(backend: str) -> None:
    x = make([1.0, 2.0], backend, True)
    assert x.cpu() is x and x.to("cpu") is x
    y = x.to("cpu", pg.float32)
    assert y.dtype == pg.float32 and y.grad_fn.name() == "ToCopyBackward0"
    (y * y).sum().backward()
    assert x.grad.dtype == pg.float64
    np.testing.assert_allclose(to_np(x.grad), [2.0, 4.0])


def test_device_move_and_back_on_strict_devices() -> None:
    """array-api-strict's extra devices stand in for a GPU: mixing devices is an error there."""
    strict = pytest.importorskip("array_api_strict")
    x = make([1.0, 2.0, 3.0], "array_api_strict", True)
    y = x.to("device1") * 2
    assert y.device == strict.Device("device1") and y.grad_fn.name() == "MulBackward0"
    (y * pg.ones(3, backend="strict", device="device1", dtype=pg.float64)).sum().backward()
    assert x.grad.device == x.device == strict.Device("CPU_DEVICE")
    np.testing.assert_allclose(to_np(x.grad), [2.0, 2.0, 2.0])
    with pg.backend("array_api_strict", device="device2"):  # the scoped default device
        assert pg.randn(2).device == pg.zeros(2).device == strict.Device("device2")
        assert pg.zeros(1, device="device1").device == strict.Device("device1")


cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@cuda
@pytest.mark.parametrize("device", ["cuda", "cuda:0", 0])
def test_cuda_forward_backward(device: Any) -> None:
    x = pg.tensor(X, backend="torch", device=device, requires_grad=True)
    tx = tt(X, True)
    y = (x**2 * pg.exp(x))[pg.tensor([0, 0, 2], backend="torch", device=device)]
    (y.sum() + x.sum()).backward()
    ty = (tx**2 * torch.exp(tx))[torch.tensor([0, 0, 2])]
    (ty.sum() + tx.sum()).backward()
    assert x.grad.device.type == "cuda" and x.device.type == "cuda"
    close(x.grad, tx.grad)
    host = make(X, "torch", True)
    (host.cuda() ** 2).sum().backward()  # the gradient comes back to the CPU
    assert host.grad.device.type == "cpu" and host.cuda().cpu().device.type == "cpu"
    close(host.grad, tt(2 * X))
    with pg.backend("torch", device=device):
        pg.manual_seed(0)
        r = pg.randn(3)
        pg.manual_seed(0)
        assert r.device.type == "cuda" and torch.equal(r._data, pg.randn(3)._data)


# -- torch's autograd never records polygrad's work ----------------------------------------------


def test_wrapping_torch_tensors_that_require_grad() -> None:
    param = torch.nn.Parameter(torch.tensor(X))
    for wrapped in (pg.tensor(param, requires_grad=True), pg.as_tensor(param).requires_grad_()):
        assert not wrapped._data.requires_grad
        y = wrapped * param + torch.ones(4, dtype=torch.float64, requires_grad=True)
        assert not y._data.requires_grad and y.grad_fn.name() == "AddBackward0"
        (y * y).sum().backward()
        assert not wrapped.grad._data.requires_grad
    assert param.grad is None


# -- scatter-add and item assignment in each adapter ---------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_adapter_scatter_add_and_setitem(backend: str) -> None:
    adapter = get_backend(backend)
    xp = adapter.xp
    index = xp.asarray([1, 1, 3, 1])
    values = xp.asarray([1.0, 2.0, 3.0, 4.0], dtype=adapter.dtype("float64"))
    out = adapter.scatter_add((5,), adapter.dtype("float64"), index, values)
    np.testing.assert_array_equal(adapter.to_numpy(out), [0.0, 7.0, 0.0, 3.0, 0.0])
    base = xp.zeros((2, 3), dtype=adapter.dtype("float64"))
    written = adapter.setitem(
        adapter.copy(base),
        (xp.asarray([1, 0]), xp.asarray([2, 2])),
        xp.asarray([5.0, 6.0], dtype=adapter.dtype("float64")),
    )
    np.testing.assert_array_equal(adapter.to_numpy(written), [[0, 0, 6], [0, 0, 5]])
    np.testing.assert_array_equal(adapter.to_numpy(base), np.zeros((2, 3)))


# -- choosing the backend --------------------------------------------------------------------


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_import_loads_no_heavy_library() -> None:
    done = _run(
        "import sys, polygrad as pg; pg.ones(2).sum();"
        "print(sorted(m for m in ('torch', 'jax', 'dask', 'array_api_strict') "
        "if m in sys.modules))",
        POLYGRAD_BACKEND="",
    )
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.skipif(not is_installed("torch"), reason="torch is not installed")
def test_environment_variable_selects() -> None:
    done = _run(
        "import polygrad as pg; print(pg.zeros(2).backend, pg.tensor([1.0]).backend)",
        POLYGRAD_BACKEND="torch",
    )
    assert done.stdout.split() == ["torch", "torch"], done.stderr


def test_environment_variable_unknown_name() -> None:
    done = _run("import polygrad", POLYGRAD_BACKEND="tensorflow")
    assert done.returncode != 0
    assert "POLYGRAD_BACKEND='tensorflow' is not a known backend" in done.stderr
    assert "numpy, torch, jax, array_api_strict, dask" in done.stderr
    assert "installed here: numpy" in done.stderr


def test_set_backend_and_nested_with() -> None:
    from polygrad._core._backend import current

    default = current()[0].name
    try:
        pg.set_backend("torch")
        assert pg.zeros(1).backend == "torch"
        with pg.backend("numpy"):
            assert pg.randn(1).backend == "numpy"
            with pg.backend("strict"):
                assert pg.ones(1).backend == "array_api_strict"
            assert pg.arange(3).backend == "numpy"
        assert pg.tensor([1.0]).backend == "torch"
    finally:
        pg.set_backend(default)
    with pytest.raises(ValueError, match="unknown polygrad backend 'cupyy'.*known backends"):
        pg.set_backend("cupyy")


def test_threads_and_tasks_see_their_own_backend() -> None:
    seen: dict[str, str] = {}
    barrier = threading.Barrier(3)

    def worker(name: str | None) -> None:
        if name is None:
            barrier.wait()
            seen["none"] = pg.zeros(1).backend
            barrier.wait()
            return
        with pg.backend(name):
            barrier.wait()  # all threads are inside their blocks at once
            seen[name] = pg.zeros(1).backend
            barrier.wait()

    threads = [
        threading.Thread(target=worker, args=(n,)) for n in ("torch", "array_api_strict", None)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"torch": "torch", "array_api_strict": "array_api_strict", "none": "numpy"}

    async def task(name: str) -> str:
        with pg.backend(name):
            await asyncio.sleep(0.01)  # the other task runs meanwhile in its own context
            return pg.ones(1).backend

    async def both() -> list[str]:
        return list(await asyncio.gather(task("torch"), task("numpy")))

    assert asyncio.run(both()) == ["torch", "numpy"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_creation_arguments_and_inference(backend: str) -> None:
    for factory in (pg.zeros, pg.ones, pg.empty, pg.rand, pg.randn):
        assert factory(2, 3, backend=backend).backend == backend
    assert pg.full((2,), 1.5, backend=backend).backend == backend
    assert pg.eye(2, backend=backend).backend == backend
    raw = pg.ones(2, backend=backend)._data
    assert pg.tensor(raw).backend == backend and pg.as_tensor(raw).backend == backend
    assert pg.zeros_like(pg.tensor(raw)).backend == backend


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b.values[0] != "numpy"])
def test_mixing_backends_is_a_type_error(backend: str) -> None:
    a = pg.ones(2, backend="numpy", requires_grad=True)
    b = pg.ones(2, backend=backend)
    cases = [
        lambda: a + b,
        lambda: b * a,
        lambda: a @ b,
        lambda: array_api.where(a > 0, a, b),
        lambda: array_api.where(b > 0, a, a),
        lambda: array_api.concat([a, b]),
        lambda: array_api.stack([b, a]),
        lambda: array_api.clip(a, b, None),
        lambda: pg.maximum(a, b),
        lambda: a.detach().copy_(b),
        lambda: a[pg.tensor([0, 1], backend=backend)],
        lambda: a.detach().__setitem__(0, b[0]),
    ]
    for case in cases:
        with pytest.raises(
            TypeError,
            match=f"numpy tensor and an? {backend} tensor|{backend} tensor and a numpy tensor",
        ):
            case()


@pytest.mark.parametrize("backend", BACKENDS)
def test_raw_array_of_same_backend_is_a_constant(backend: str) -> None:
    x = make([1.0, 2.0], backend, True)
    raw = make([3.0, 4.0], backend)._data
    y = x * raw
    assert y.grad_fn.next_functions[1] == (None, 0)
    y.sum().backward()
    np.testing.assert_allclose(to_np(x.grad), [3.0, 4.0])


def test_available_lists_installed_backends() -> None:
    found = pg.backends.available()
    assert found["numpy"]["version"] == np.__version__ and found["numpy"]["devices"] == ["cpu"]
    assert found["torch"]["version"] == torch.__version__
    for name, info in found.items():
        assert is_installed(name) and info["devices"]
    assert found.get("jax", {"mutable": False})["mutable"] is False


def test_per_backend_and_device_builds_once_per_pair():
    built = []

    @per_backend_and_device
    def make(backend, device=None):
        """Docstring kept."""
        built.append((backend.name, device))
        return object()

    numpy = get_backend("numpy")
    assert make(numpy) is make(numpy, None)
    assert make(numpy, "cpu") is not make(numpy)
    assert built == [("numpy", None), ("numpy", "cpu")]
    assert make.__doc__ == "Docstring kept."
