"""polygrad's array-API namespace: ``__array_namespace__``, ``__array_namespace_info__``,
creation functions bound to the backend (values and default dtypes are the backend's
own), ``asarray`` keeping the graph, the data type functions and constants, the
top-level module used as a namespace, and the array object's operators."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS, STANDARD_BACKENDS, installed_backends

import polygrad as pg
from polygrad import array_api

KINDS = [
    "bool",
    "signed integer",
    "unsigned integer",
    "integral",
    "real floating",
    "complex floating",
    "numeric",
]


def tensor_on(backend: str, values=(1.0, 2.0, 3.0), requires_grad: bool = False) -> pg.Tensor:
    return pg_tensor(np.asarray(values, dtype=np.float64), backend, requires_grad)


# -- the protocol ------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_array_namespace_protocol(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    assert xp.__name__ == "polygrad"
    assert xp.__array_api_version__ == "2025.12"
    assert x.__array_namespace__(api_version=None) is xp
    assert x.__array_namespace__(api_version="2023.12") is xp
    assert x.__array_namespace__(api_version="2024.12") is xp
    for unsupported in ("2026.12", "1999.01"):
        with pytest.raises(ValueError, match="does not support array API version"):
            x.__array_namespace__(api_version=unsupported)
    assert tensor_on(backend, (5.0,)).__array_namespace__() is xp  # one per backend and device
    assert xp.zeros(2).device == x.device  # bound to the tensor's device
    array_api_compat = pytest.importorskip("array_api_compat")
    assert array_api_compat.array_namespace(x, x * 2) is xp
    with pytest.raises(TypeError):
        array_api_compat.array_namespace(x, np.ones(2))


def test_tensor_is_no_backend_array():
    """array-api-compat would route a subclass of a backend's array to that backend."""
    assert not issubclass(pg.Tensor, np.ndarray)
    assert not issubclass(pg.Tensor, torch.Tensor)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_namespace_info(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    raw = x._backend.xp.__array_namespace_info__()
    info = xp.__array_namespace_info__()
    capabilities = info.capabilities()
    assert capabilities["boolean indexing"] is True
    assert capabilities["data-dependent shapes"] is True
    assert capabilities["max dimensions"] == raw.capabilities()["max dimensions"]
    assert info.default_device() == x.device
    assert isinstance(info.devices(), tuple) and x.device in info.devices()
    defaults = info.default_dtypes()
    assert defaults == {k: v for k, v in raw.default_dtypes().items()}
    assert defaults["real floating"] is pg.float64  # NumPy's and strict's default
    assert all(isinstance(v, pg.DType) for v in defaults.values())
    assert info.default_dtypes(device=x.device) == defaults
    for kind in [None, *KINDS, ("real floating", "complex floating")]:
        ours = info.dtypes(kind=kind)
        assert sorted(ours) == sorted(raw.dtypes(kind=kind)), kind
        assert all(ours[name] is getattr(pg, name) for name in ours)
    assert info.dtypes(device=x.device) == info.dtypes()


# -- creation ------------------------------------------------------------------------------------
CREATIONS = [
    ("arange", lambda xp: xp.arange(5)),
    ("arange float", lambda xp: xp.arange(0, 1, 0.25)),
    ("arange dtype", lambda xp: xp.arange(1, 7, 2, dtype=xp.float32)),
    ("zeros", lambda xp: xp.zeros((2, 3))),
    ("zeros int shape", lambda xp: xp.zeros(3)),
    ("ones", lambda xp: xp.ones((2,), dtype=xp.int32)),
    ("full", lambda xp: xp.full((2, 2), 1.5)),
    ("full int", lambda xp: xp.full((3,), 7)),
    ("full bool", lambda xp: xp.full((2,), True)),
    ("linspace", lambda xp: xp.linspace(0, 1, 5)),
    ("linspace open", lambda xp: xp.linspace(0.0, 2.0, 4, endpoint=False)),
    ("eye", lambda xp: xp.eye(3)),
    ("eye offset", lambda xp: xp.eye(2, 4, k=1, dtype=xp.float32)),
    ("asarray list", lambda xp: xp.asarray([[1.0, 2.0], [3.0, 4.0]])),
    ("asarray ints", lambda xp: xp.asarray([1, 2, 3])),
    ("asarray dtype", lambda xp: xp.asarray([1, 2], dtype=xp.float32)),
    ("asarray scalar", lambda xp: xp.asarray(2.5)),
]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, make", CREATIONS, ids=[c[0] for c in CREATIONS])
def test_creation_matches_the_backend(name, make, backend):
    x = tensor_on(backend)
    ours = make(x.__array_namespace__())
    theirs = make(x._backend.xp)
    assert isinstance(ours, pg.Tensor) and not ours.requires_grad
    assert ours.backend == backend
    assert ours.dtype == theirs.dtype  # the backend's default dtypes, not torch's float32
    np.testing.assert_array_equal(to_np(ours), x._backend.to_numpy(theirs))


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_like_functions_and_empty(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    for fn, fill in [(xp.zeros_like, 0.0), (xp.ones_like, 1.0)]:
        out = fn(x)
        assert out.dtype == x.dtype and tuple(out.shape) == (3,) and out.device == x.device
        np.testing.assert_array_equal(to_np(out), np.full(3, fill))
        assert fn(x, dtype=xp.int64).dtype is pg.int64
    np.testing.assert_array_equal(to_np(xp.full_like(x, 4.0)), np.full(3, 4.0))
    assert xp.full_like(x, 4, dtype=xp.int16).dtype is pg.int16
    assert tuple(xp.empty_like(x).shape) == (3,) and xp.empty((2, 1)).dtype is pg.float64
    assert xp.zeros_like(x, device=x.device).device == x.device
    assert not xp.zeros_like(tensor_on(backend, requires_grad=True)).requires_grad


def test_list_shapes_are_accepted():
    xp = pg.tensor(np.ones(2)).__array_namespace__()
    assert tuple(xp.zeros([2, 3]).shape) == (2, 3)
    assert tuple(xp.full([1, 2], 0.5).shape) == (1, 2)


# -- asarray keeps the graph -------------------------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_asarray_of_a_tensor_keeps_the_graph(backend):
    x = tensor_on(backend, requires_grad=True)
    xp = x.__array_namespace__()
    assert xp.asarray(x) is x
    assert xp.asarray(x, copy=False) is x
    copied = xp.asarray(x, copy=True)
    assert copied is not x and copied.grad_fn.name() == "CloneBackward0"
    cast = xp.asarray(x, dtype=xp.float32)
    assert cast.dtype is pg.float32 and cast.grad_fn.name() == "ToCopyBackward0"
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        xp.asarray(x, dtype=xp.float32, copy=False)
    (g,) = pg.autograd.grad((copied * 3).sum() + (cast * cast).sum(), x)
    assert g.dtype is pg.float64
    np.testing.assert_allclose(to_np(g), 3 + 2 * np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_asarray_of_a_list_of_tensors(backend):
    x = tensor_on(backend, requires_grad=True)
    xp = x.__array_namespace__()
    flat = xp.asarray([x[0], x[2] * 2, 5.0])
    assert flat.grad_fn.name() == "StackBackward0" and flat.dtype is pg.float64
    np.testing.assert_array_equal(to_np(flat), [1.0, 6.0, 5.0])
    nested = xp.asarray([[x[0], x[1]], [x[2], 1.0]])
    assert tuple(nested.shape) == (2, 2)
    (g,) = pg.autograd.grad((flat.sum() + (nested * nested).sum()), x)
    np.testing.assert_allclose(to_np(g), [1 + 2.0, 4.0, 2 + 6.0])
    plain = xp.asarray([pg_tensor(np.array(1.0), backend), 2.0])
    assert not plain.requires_grad and plain.dtype is pg.float64


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_asarray_of_foreign_data(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    out = xp.asarray(np.array([1, 2], dtype=np.int32))
    assert out.backend == backend and out.dtype is pg.int32
    if backend != "numpy":
        numpy_tensor = pg.tensor(np.ones(2), backend="numpy")
        converted = xp.asarray(numpy_tensor)
        assert converted.backend == backend
        with pytest.raises(TypeError, match="same backend"):
            xp.asarray(pg.tensor(np.ones(2), backend="numpy", requires_grad=True))


def test_top_level_asarray_follows_the_standard_and_tensor_follows_torch():
    assert pg.asarray([1.0]).dtype is pg.float64  # NumPy's default, as its namespace says
    assert pg.tensor([1.0]).dtype is pg.float32  # torch's default
    assert pg.asarray([1, 2]).dtype is pg.int64
    x = pg.tensor([1.0, 2.0], requires_grad=True)
    assert pg.asarray(x) is x
    assert pg.asarray(np.float32(1.5)).dtype is pg.float32


# -- data type functions -------------------------------------------------------------------------
strict = pytest.importorskip("array_api_strict")
DTYPE_NAMES = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


@pytest.mark.parametrize("kind", KINDS + [("integral", "bool"), "float32"])
def test_isdtype_matches_the_standard(kind):
    reference_kind = getattr(strict, kind) if kind in DTYPE_NAMES else kind
    for name in DTYPE_NAMES:
        expected = strict.isdtype(getattr(strict, name), reference_kind)
        assert pg.isdtype(getattr(pg, name), kind) is expected, (name, kind)
        assert pg.isdtype(np.dtype(name), kind) is expected  # a backend's dtype works too
    assert pg.isdtype(pg.float32, "real floating")
    with pytest.raises(ValueError, match="unknown dtype kind"):
        pg.isdtype(pg.float32, "floating")


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_result_type_is_the_backends(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    raw = x._backend.xp
    pairs = [
        ("float32", "float64"),
        ("int8", "int16"),
        ("int32", "int64"),
        ("uint8", "uint16"),
        ("float32", "complex64"),
        ("float64", "complex64"),
        ("bool", "bool"),
        ("uint8", "int16"),
        ("float32", "float32"),
    ]
    for a, b in pairs:
        expected = raw.result_type(getattr(raw, a), getattr(raw, b))
        assert xp.result_type(getattr(xp, a), getattr(xp, b)) == expected, (a, b)
    f32 = xp.asarray([1.0], dtype=xp.float32)
    i64 = xp.asarray([1], dtype=xp.int64)
    assert xp.result_type(f32, 1.0) is pg.float32  # Python numbers are weak
    assert xp.result_type(i64, 1) is pg.int64
    assert xp.result_type(f32, 1.0, 1j) is pg.complex64
    assert xp.result_type(xp.bool, True) is pg.bool
    assert xp.result_type(f32, x) is pg.float64
    with pytest.raises(ValueError, match="at least one array or dtype"):
        xp.result_type(1.0, 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_d_tensors_promote_like_any_other(backend):
    # torch keeps float32 for f32 * 0-d f64; the standard (and so polygrad, on torch too) does not
    c = pg.tensor([1.0, 2.0], backend=backend, requires_grad=True)
    d = pg.tensor(3.0, dtype=pg.float64, backend=backend, requires_grad=True)
    for y in (c * d, d * c, c + d, pg.maximum(c, d)):
        assert y.dtype is pg.float64 is pg.result_type(c, d)
    (c * d).sum().backward()
    assert c.grad.dtype is pg.float32 and d.grad.dtype is pg.float64
    assert c.grad.tolist() == [3.0, 3.0] and d.grad.item() == 3.0
    i32 = pg.tensor([1, 2], dtype=pg.int32, backend=backend)
    assert (i32 * pg.tensor(2, dtype=pg.int64, backend=backend)).dtype is pg.int64
    assert (c * 3.0).dtype is pg.float32 and (i32 * 2).dtype is pg.int32  # numbers stay weak
    inplace = c.detach().clone()
    inplace *= d.detach()  # an in-place write keeps its target's dtype
    assert inplace.dtype is pg.float32 and inplace.tolist() == [3.0, 6.0]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_revision_2025_12(backend):
    strict = pytest.importorskip("array_api_strict")
    x = tensor_on(backend, [[1.0, 5.0, -2.0], [0.5, 2.0, 4.0]], requires_grad=True)
    xp = x.__array_namespace__()
    ref = strict.asarray([[1.0, 5.0, -2.0], [0.5, 2.0, 4.0]])
    for axis in (0, -1, (0, 2), (-1, 0), (1, -1), (0, 1, 2)):  # expand_dims takes a tuple
        assert tuple(xp.expand_dims(x, axis=axis).shape) == strict.expand_dims(ref, axis=axis).shape
    with pytest.raises(ValueError, match="repeated axis"):
        xp.expand_dims(x, axis=(0, -4))
    assert tuple(xp.permute_dims(x, (-1, -2)).shape) == (3, 2)  # negative axes
    assert xp.searchsorted(xp.asarray([1.0, 2.0, 3.0]), 2.5).item() == 2  # a scalar x2
    bound = xp.asarray([[0.0], [1.0]], dtype=xp.float32)
    clipped = xp.clip(x, bound, 3)  # clip keeps x's dtype, numbers are weak
    assert clipped.dtype == x.dtype
    clipped.sum().backward()
    assert to_np(x.grad).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert xp.isin(xp.asarray([1, 2, 3]), xp.asarray([2])).tolist() == [False, True, False]


@pytest.mark.parametrize("backend", BACKENDS)
def test_products_of_two_dtypes_promote(backend):
    # torch's matmul and solve refuse float32 with float64; the standard promotes
    a = pg.ones(2, 2, backend=backend, requires_grad=True)
    b = pg.tensor([[2.0, 0.0], [1.0, 3.0]], dtype=pg.float64, backend=backend, requires_grad=True)
    y = a @ b
    assert y.dtype is pg.float64
    assert y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"
    (y.sum() + pg.linalg.solve(b, a).sum()).backward()
    assert a.grad.dtype is pg.float32 and b.grad.dtype is pg.float64
    ref_a = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
    ref_b = torch.tensor([[2.0, 0.0], [1.0, 3.0]], dtype=torch.float64, requires_grad=True)
    ((ref_a @ ref_b).sum() + torch.linalg.solve(ref_b, ref_a).sum()).backward()
    np.testing.assert_allclose(to_np(a.grad), ref_a.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(to_np(b.grad), ref_b.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_can_cast_finfo_iinfo(backend):
    x = tensor_on(backend)
    xp = x.__array_namespace__()
    raw = x._backend.xp
    for a in DTYPE_NAMES:
        for b in DTYPE_NAMES:
            assert xp.can_cast(getattr(xp, a), getattr(xp, b)) == raw.can_cast(
                getattr(raw, a), getattr(raw, b)
            ), (a, b)
    assert xp.can_cast(x, xp.float64) and not xp.can_cast(x, xp.int32)
    for name in ("float32", "float64", "complex64", "complex128"):
        info, expected = xp.finfo(getattr(xp, name)), np.finfo(name)
        assert (info.bits, info.eps, info.max, info.min, info.smallest_normal) == (
            expected.bits,
            float(expected.eps),
            float(expected.max),
            float(expected.min),
            float(expected.smallest_normal),
        )
        assert info.dtype is getattr(pg, np.dtype(expected.dtype).name)
    assert xp.finfo(x).eps == np.finfo(np.float64).eps
    for name in DTYPE_NAMES[1:9]:
        info, expected = xp.iinfo(getattr(xp, name)), np.iinfo(name)
        assert (info.bits, info.max, info.min) == (expected.bits, expected.max, expected.min)
        assert info.dtype is getattr(pg, name)
    with pytest.raises(TypeError):
        xp.finfo(xp.int32)
    with pytest.raises(TypeError):
        xp.iinfo(xp.float32)


@pytest.mark.parametrize("backend", installed_backends())
def test_dtype_constants_compare_on_every_backend(backend):
    x = pg.tensor(np.ones(2, dtype=np.float32), backend=backend)
    xp = x.__array_namespace__()
    assert xp.float32 is pg.float32
    assert x.dtype == xp.float32 and x.dtype != xp.float64
    assert xp.astype(x, xp.float64).dtype == xp.float64
    assert xp.asarray([1, 2], dtype=xp.int32).dtype == xp.int32


def test_constants():
    xp = pg.ones(1).__array_namespace__()
    assert (xp.e, xp.pi, xp.newaxis) == (np.e, np.pi, None)
    assert xp.inf == np.inf and np.isnan(xp.nan)
    assert (pg.e, pg.pi, pg.inf, pg.newaxis) == (np.e, np.pi, np.inf, None)
    x = pg.ones((2, 3))
    assert tuple(x[:, xp.newaxis].shape) == (2, 1, 3)


def test_top_level_info_is_the_current_backends():
    assert pg.__array_namespace_info__().default_dtypes()["real floating"] is pg.float64
    assert pg.__array_namespace_info__().capabilities()["boolean indexing"] is True
    assert pg.result_type(pg.float32, 1.0) is pg.float32


# -- tril, triu, meshgrid, from_dlpack, to_device ----------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("k", [0, 1, -1])
def test_tril_triu(k, backend):
    data = np.random.default_rng(k + 3).standard_normal((2, 3, 4))
    check(lambda x: array_api.tril(x, k=k), lambda x: torch.tril(x, k), [data], backend)
    check(lambda x: array_api.triu(x, k=k), lambda x: torch.triu(x, k), [data], backend)
    check(lambda x: x.tril(k), lambda x: x.tril(k), [data[0]], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid(indexing, backend):
    rng = np.random.default_rng(1)
    a, b, c = rng.standard_normal(3), rng.standard_normal(2), rng.standard_normal(4)
    grids = array_api.meshgrid(*(pg_tensor(v, backend) for v in (a, b, c)), indexing=indexing)
    assert isinstance(grids, tuple)  # the standard's 2025.12 revision and torch (a list before)
    for ours, expected in zip(grids, np.meshgrid(a, b, c, indexing=indexing)):
        np.testing.assert_array_equal(to_np(ours), expected)
    check(
        lambda x, y: array_api.meshgrid(x, y, indexing=indexing),
        lambda x, y: torch.meshgrid(x, y, indexing=indexing),
        [a, b],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_from_dlpack_and_dlpack(backend):
    x = tensor_on(backend, requires_grad=True)
    xp = x.__array_namespace__()
    with pytest.raises(BufferError, match="require gradient"):
        xp.from_dlpack(x)
    with pytest.raises(BufferError, match="require gradient"):
        x.__dlpack__()
    out = xp.from_dlpack(x.detach())
    assert out.backend == backend and not out.requires_grad
    np.testing.assert_array_equal(to_np(out), [1.0, 2.0, 3.0])
    assert x.__dlpack_device__() == x._data.__dlpack_device__()
    if backend == "numpy":
        np.testing.assert_array_equal(np.from_dlpack(x.detach()), [1.0, 2.0, 3.0])
        assert pg.from_dlpack(np.arange(3.0)).backend == "numpy"


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_to_device_to_the_same_device(backend):
    x = tensor_on(backend, requires_grad=True)
    assert x.to_device(x.device) is x
    assert x.__array_namespace__().asarray(x, device=x.device) is x


def test_to_device_moves_the_gradient_back():
    """array-api-strict has several devices: the move is recorded, the gradient returns."""
    x = pg.tensor(np.array([1.0, 2.0]), backend="array_api_strict", requires_grad=True)
    other = strict.Device("device1")
    y = x.to_device(other)
    assert y.device == other and y.grad_fn.name() == "ToCopyBackward0"
    (g,) = pg.autograd.grad((y * y).sum(), x, create_graph=True)
    assert g.device == x.device
    np.testing.assert_array_equal(to_np(g), [2.0, 4.0])
    (h,) = pg.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(to_np(h), [2.0, 2.0])
    xp = x.__array_namespace__()
    assert xp.zeros(2, device=other).device == other
    assert xp.asarray(x, device=other).grad_fn.name() == "ToCopyBackward0"


# -- the array object's operators ----------------------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_integer_operators_with_numbers_on_either_side(backend):
    a = np.array([5, -3, 8, 0], dtype=np.int64)
    x = pg.tensor(a, backend=backend)
    cases = [
        (lambda t: t % 3, a % 3),
        (lambda t: 17 % (t + 10), 17 % (a + 10)),
        (lambda t: t // 2, a // 2),
        (lambda t: 20 // (t + 10), 20 // (a + 10)),
        (lambda t: t & 6, a & 6),
        (lambda t: 6 & t, 6 & a),
        (lambda t: t | 1, a | 1),
        (lambda t: 1 | t, 1 | a),
        (lambda t: t ^ 3, a ^ 3),
        (lambda t: 3 ^ t, 3 ^ a),
        (lambda t: t << 1, a << 1),
        (lambda t: 1 << (t + 3), 1 << (a + 3)),
        (lambda t: t >> 1, a >> 1),
        (lambda t: 64 >> (t + 3), 64 >> (a + 3)),
        (lambda t: ~t, ~a),
        (lambda t: t < 2, a < 2),
        (lambda t: 2 < t, 2 < a),
        (lambda t: 0 == t, a == 0),
        (lambda t: 1 >= t, 1 >= a),
    ]
    for i, (op, expected) in enumerate(cases):
        out = op(x)
        np.testing.assert_array_equal(to_np(out), expected, err_msg=str(i))
        assert out.dtype == pg.tensor(expected).dtype, i


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_in_place_operators(backend):
    a = np.array([5, 3, 8, 1], dtype=np.int64)
    expected = a.copy()
    x = pg.tensor(a, backend=backend)
    for op in ("%= 4", "//= 2", "&= 7", "|= 8", "^= 5", "<<= 2", ">>= 1"):
        exec(f"x {op}")  # noqa: S102 - the operator is the thing under test
        exec(f"expected {op}")  # noqa: S102
        np.testing.assert_array_equal(to_np(x), expected, err_msg=op)
    m = pg.tensor(np.eye(2) * 2, backend=backend)
    version = m._version
    m @= pg.tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), backend=backend)
    np.testing.assert_array_equal(to_np(m), [[2.0, 4.0], [6.0, 8.0]])
    assert m._version == version + 1
    b = np.array([True, False, True])
    flags = pg.tensor(b, backend=backend)
    flags &= pg.tensor(np.array([True, True, False]), backend=backend)
    np.testing.assert_array_equal(to_np(flags), [True, False, False])


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_in_place_remainder_records_torchs_node(backend):
    x = tensor_on(backend, (1.5, 2.5, -0.7), requires_grad=True)
    y = x * 1
    y %= 1.0
    assert y.grad_fn.name() == "RemainderBackward0"
    (g,) = pg.autograd.grad(y.sum(), x)
    np.testing.assert_array_equal(to_np(g), np.ones(3))
    t = torch.tensor([1.5, 2.5, -0.7], dtype=torch.float64, requires_grad=True)
    u = t * 1
    u %= 1.0
    assert u.grad_fn.name() == "RemainderBackward0"
    np.testing.assert_allclose(to_np(y), u.detach().numpy())


def test_tensor_methods_record_the_functions_nodes():
    x = pg.tensor([0.3, 0.6], dtype=pg.float64, requires_grad=True)
    t = torch.tensor([0.3, 0.6], dtype=torch.float64, requires_grad=True)
    for name in (
        "acos",
        "asinh",
        "atanh",
        "cosh",
        "expm1",
        "log1p",
        "log2",
        "log10",
        "floor",
        "ceil",
        "round",
        "trunc",
        "tan",
        "erf",
        "lgamma",
        "digamma",
        "i0",
        "logit",
    ):
        assert getattr(x, name)().grad_fn.name() == getattr(t, name)().grad_fn.name(), name
    for name in ("atan2", "hypot", "logaddexp", "copysign", "remainder", "xlogy"):
        assert getattr(x, name)(x).grad_fn.name() == getattr(t, name)(t).grad_fn.name(), name
    c = pg.tensor([1 + 2j], requires_grad=True)
    assert c.real.grad_fn.name() == "SelectBackward0" and c.imag.dtype is pg.float32
    assert x.real is x and x.conj() is x
