"""NumPy's own functions on polygrad tensors (``__array_function__``/``__array_ufunc__``).

Each case runs a NumPy call on polygrad tensors that require grad, and checks that the
result is a polygrad tensor with a graph, that its values are NumPy's on the raw
arrays, and that the gradient of a weighted sum is torch.autograd's for the torch
counterpart of the call (torch.cov, torch.fft.*, torch.linalg.*...). Functions polygrad
does not cover raise a TypeError naming them instead of a detached result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from oracle import assert_close, pg_from, to_np, torch, torch_from

import polygrad as pg

F = torch.nn.functional


def data(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def spd(seed: int, n: int) -> np.ndarray:
    a = data(seed, n, n)
    return a @ a.T + n * np.eye(n)


A, B, V, W = data(1, 3, 4), data(2, 3, 4), data(3, 5), data(4, 5)
SQ, SPD = data(5, 3, 3) + 3 * np.eye(3), spd(6, 3)
V3, W3 = data(7, 2, 3), data(8, 2, 3)
WITH_NAN = np.where(np.arange(12).reshape(3, 4) % 5 == 0, np.nan, data(9, 3, 4))

#: name -> (the NumPy call, torch's counterpart, inputs)
CASES: dict[str, tuple[Any, Any, list[np.ndarray]]] = {
    # statistics
    "cov": (np.cov, torch.cov, [A]),
    "cov_rowvar_false": (lambda x: np.cov(x, rowvar=False), lambda x: torch.cov(x.T), [A]),
    "cov_y": (lambda x, y: np.cov(x, y), lambda x, y: torch.cov(torch.cat([x, y])), [A, B]),
    "cov_ddof0": (lambda x: np.cov(x, ddof=0), lambda x: torch.cov(x, correction=0), [A]),
    "cov_bias": (lambda x: np.cov(x, bias=True), lambda x: torch.cov(x, correction=0), [A]),
    "cov_1d": (np.cov, torch.cov, [V]),
    "corrcoef": (np.corrcoef, torch.corrcoef, [A]),
    "mean_axis": (lambda x: np.mean(x, axis=0), lambda x: x.mean(0), [A]),
    "std_ddof": (lambda x: np.std(x, axis=1, ddof=1), lambda x: x.std(1), [A]),
    "var_keepdims": (
        lambda x: np.var(x, axis=0, keepdims=True),
        lambda x: x.var(0, correction=0, keepdim=True),
        [A],
    ),
    "average_weights": (
        lambda x, w: np.average(x, axis=1, weights=w),
        lambda x, w: (x * w).sum(1) / w.sum(),
        [A, np.abs(data(10, 4)) + 0.5],
    ),
    "median_even": (lambda x: np.median(x, axis=1), lambda x: torch.quantile(x, 0.5, dim=1), [A]),
    "median_odd": (np.median, lambda x: torch.quantile(x, 0.5), [V]),
    "ptp": (lambda x: np.ptp(x, axis=0), lambda x: x.amax(0) - x.amin(0), [A]),
    "nansum": (lambda x: np.nansum(x, axis=1), lambda x: torch.nansum(x, 1), [WITH_NAN]),
    "nanmean": (np.nanmean, torch.nanmean, [WITH_NAN]),
    "sum_where": (lambda x: np.sum(x, where=x > 0), lambda x: torch.where(x > 0, x, 0).sum(), [A]),
    "sum_initial": (lambda x: np.sum(x, initial=2.0), lambda x: x.sum() + 2, [A]),
    "cumsum": (np.cumsum, lambda x: x.reshape(-1).cumsum(0), [A]),
    "diff_prepend": (
        lambda x: np.diff(x, prepend=0.0),
        lambda x: torch.diff(x, prepend=torch.zeros(3, 1)),
        [A],
    ),
    # fft
    "fft": (np.fft.fft, torch.fft.fft, [V]),
    "fft_n_ortho": (
        lambda x: np.fft.fft(x, n=8, norm="ortho"),
        lambda x: torch.fft.fft(x, n=8, norm="ortho"),
        [A],
    ),
    "ifft": (np.fft.ifft, torch.fft.ifft, [V]),
    "rfft": (np.fft.rfft, torch.fft.rfft, [V]),
    "irfft": (
        lambda x: np.fft.irfft(np.fft.rfft(x), n=5),
        lambda x: torch.fft.irfft(torch.fft.rfft(x), n=5),
        [V],
    ),
    "irfft_real_input": (
        lambda x: np.fft.irfft(x, axis=0),
        lambda x: torch.fft.irfft(x, dim=0),
        [A],
    ),
    "hfft": (np.fft.hfft, torch.fft.hfft, [V]),
    "ihfft": (np.fft.ihfft, torch.fft.ihfft, [V]),
    "fft2": (np.fft.fft2, torch.fft.fft2, [A]),
    "ifft2": (np.fft.ifft2, torch.fft.ifft2, [A]),
    "rfft2": (np.fft.rfft2, torch.fft.rfft2, [A]),
    "irfft2": (lambda x: np.fft.irfft2(x, s=(3, 6)), lambda x: torch.fft.irfft2(x, s=(3, 6)), [A]),
    "fftn": (lambda x: np.fft.fftn(x, axes=(0,)), lambda x: torch.fft.fftn(x, dim=(0,)), [A]),
    "rfftn": (np.fft.rfftn, torch.fft.rfftn, [A]),
    "fftshift": (np.fft.fftshift, torch.fft.fftshift, [A]),
    "ifftshift": (
        lambda x: np.fft.ifftshift(x, axes=1),
        lambda x: torch.fft.ifftshift(x, dim=1),
        [A],
    ),
    # linalg
    "norm": (np.linalg.norm, torch.linalg.norm, [A]),
    "norm_axis": (lambda x: np.linalg.norm(x, axis=1), lambda x: torch.linalg.norm(x, dim=1), [A]),
    "norm_ord1": (lambda x: np.linalg.norm(x, 1), lambda x: torch.linalg.norm(x, 1), [V]),
    "norm_inf_vector": (
        lambda x: np.linalg.norm(x, np.inf, axis=0),
        lambda x: torch.linalg.vector_norm(x, np.inf, dim=0),
        [A],
    ),
    "norm_spectral": (
        lambda x: np.linalg.norm(x, 2),
        lambda x: torch.linalg.matrix_norm(x, 2),
        [A],
    ),
    "norm_nuc": (lambda x: np.linalg.norm(x, "nuc"), lambda x: torch.linalg.norm(x, "nuc"), [A]),
    "norm_matrix_axes": (
        lambda x: np.linalg.norm(x, axis=(1, 0), keepdims=True),
        lambda x: torch.linalg.norm(x, dim=(1, 0), keepdim=True),
        [A],
    ),
    "vector_norm": (
        lambda x: np.linalg.vector_norm(x, ord=3),
        lambda x: torch.linalg.vector_norm(x, 3),
        [A],
    ),
    "matrix_norm": (np.linalg.matrix_norm, torch.linalg.matrix_norm, [A]),
    "inv": (np.linalg.inv, torch.linalg.inv, [SQ]),
    "solve": (np.linalg.solve, torch.linalg.solve, [SQ, A]),
    "det": (np.linalg.det, torch.linalg.det, [SQ]),
    "slogdet": (lambda x: np.linalg.slogdet(x)[1], lambda x: torch.linalg.slogdet(x)[1], [SQ]),
    "eigh_values": (lambda x: np.linalg.eigh(x)[0], lambda x: torch.linalg.eigh(x)[0], [SPD]),
    "eigh_vectors_abs": (
        lambda x: np.abs(np.linalg.eigh(x)[1]),
        lambda x: torch.linalg.eigh(x)[1].abs(),
        [SPD],
    ),
    "eigvalsh": (np.linalg.eigvalsh, torch.linalg.eigvalsh, [SPD]),
    "svd_values": (lambda x: np.linalg.svd(x, compute_uv=False), torch.linalg.svdvals, [A]),
    "svd_u_abs": (
        lambda x: np.abs(np.linalg.svd(x, full_matrices=False)[0]),
        lambda x: torch.linalg.svd(x, full_matrices=False)[0].abs(),
        [A],
    ),
    "cholesky": (np.linalg.cholesky, torch.linalg.cholesky, [SPD]),
    "qr_r": (lambda x: np.linalg.qr(x, mode="r"), lambda x: torch.linalg.qr(x)[1], [A.T]),
    "pinv": (np.linalg.pinv, torch.linalg.pinv, [A]),
    "matrix_power": (
        lambda x: np.linalg.matrix_power(x, 3),
        lambda x: torch.linalg.matrix_power(x, 3),
        [SQ],
    ),
    "multi_dot": (
        lambda x, y: np.linalg.multi_dot([x, y.T, x]),
        lambda x, y: torch.linalg.multi_dot([x, y.T, x]),
        [A, B],
    ),
    # products, shapes and constructions
    "einsum_matmul": (
        lambda x, y: np.einsum("ij,kj->ik", x, y),
        lambda x, y: torch.einsum("ij,kj->ik", x, y),
        [A, B],
    ),
    "einsum_trace": (lambda x: np.einsum("ii", x), lambda x: torch.einsum("ii", x), [SQ]),
    "einsum_batch": (
        lambda x, y: np.einsum("bij,bkj->bik", x, y, optimize=True),
        lambda x, y: torch.einsum("bij,bkj->bik", x, y),
        [data(12, 2, 3, 4), data(13, 2, 5, 4)],
    ),
    "trace": (np.trace, torch.trace, [A]),
    "trace_offset_axes": (
        lambda x: np.trace(x, offset=1, axis1=1, axis2=0),
        lambda x: torch.diagonal(x, 1, 1, 0).sum(),
        [A],
    ),
    "diagonal": (lambda x: np.diagonal(x, 1), lambda x: torch.diagonal(x, 1), [A]),
    "diag_of_matrix": (np.diag, torch.diag, [A]),
    "diag_from_vector": (lambda x: np.diag(x, k=2), lambda x: torch.diag(x, 2), [V]),
    "diag_below": (lambda x: np.diag(x, k=-1), lambda x: torch.diag(x, -1), [V]),
    "kron": (np.kron, torch.kron, [A, SQ]),
    "kron_mixed_ndim": (np.kron, torch.kron, [V, A]),
    "outer": (np.outer, torch.outer, [V, W]),
    "inner": (np.inner, torch.inner, [A, B]),
    "vdot": (np.vdot, lambda x, y: (x * y).sum(), [A, B]),
    "dot_nd": (
        lambda x, y: np.dot(x, y),
        lambda x, y: torch.tensordot(x, y, ([2], [0])),
        [data(12, 2, 3, 4), data(11, 4, 2)],
    ),
    "cross": (np.cross, torch.linalg.cross, [V3, W3]),
    "tril": (np.tril, torch.tril, [A]),
    "triu": (lambda x: np.triu(x, 1), lambda x: torch.triu(x, 1), [A]),
    "concatenate": (
        lambda x, y: np.concatenate([x, y], axis=1),
        lambda x, y: torch.cat([x, y], 1),
        [A, B],
    ),
    "stack": (lambda x, y: np.stack([x, y], axis=-1), lambda x, y: torch.stack([x, y], -1), [A, B]),
    "hstack": (lambda x, y: np.hstack([x, y]), lambda x, y: torch.hstack([x, y]), [A, B]),
    "vstack": (lambda x, y: np.vstack([x, y]), lambda x, y: torch.vstack([x, y]), [V, W]),
    "dstack": (lambda x, y: np.dstack([x, y]), lambda x, y: torch.dstack([x, y]), [A, B]),
    "column_stack": (
        lambda x, y: np.column_stack([x, y]),
        lambda x, y: torch.column_stack([x, y]),
        [V, W],
    ),
    "atleast_3d": (np.atleast_3d, torch.atleast_3d, [V]),
    "split": (lambda x: np.split(x, [1, 3], axis=1)[1], lambda x: x[:, 1:3], [A]),
    "array_split": (lambda x: np.array_split(x, 3)[1], lambda x: x[2:4], [V]),
    "append": (np.append, lambda x, y: torch.cat([x.reshape(-1), y.reshape(-1)]), [A, V]),
    "pad": (
        lambda x: np.pad(x, ((1, 0), (2, 1)), constant_values=0.5),
        lambda x: F.pad(x, (2, 1, 1, 0), value=0.5),
        [A],
    ),
    "repeat": (lambda x: np.repeat(x, 2, axis=0), lambda x: x.repeat_interleave(2, 0), [A]),
    "where": (lambda x, y: np.where(x > y, x, y), lambda x, y: torch.where(x > y, x, y), [A, B]),
    "clip": (lambda x: np.clip(x, -0.5, 0.5), lambda x: x.clamp(-0.5, 0.5), [A]),
    # element-wise functions and ufuncs composed of polygrad ops
    "sinc": (np.sinc, torch.sinc, [np.array([0.0, 0.3, -1.7, 2.5])]),
    "exp2": (np.exp2, torch.exp2, [V]),
    "cbrt": (np.cbrt, lambda x: x.sign() * x.abs() ** (1 / 3), [V]),
    "deg2rad": (np.deg2rad, torch.deg2rad, [V]),
    "degrees": (np.degrees, torch.rad2deg, [V]),
    "logaddexp2": (np.logaddexp2, torch.logaddexp2, [V, W]),
    "heaviside": (
        lambda x: np.heaviside(x, 0.5) * x,
        lambda x: torch.heaviside(x.detach(), torch.tensor(0.5, dtype=x.dtype)) * x,
        [V],
    ),
    "round_decimals": (lambda x: np.round(x, 2) + x, lambda x: torch.round(x, decimals=2) + x, [V]),
    "nan_to_num": (
        lambda x: np.nan_to_num(x, nan=1.5),
        lambda x: torch.nan_to_num(x, nan=1.5),
        [WITH_NAN],
    ),
}


def _loss_weights(out: Any, seed: int) -> tuple[np.ndarray, np.ndarray]:
    shape = tuple(out.shape)
    return data(seed, *shape), data(seed + 1, *shape)


def _weighted(out: Any, w: tuple[Any, Any], xp_real: Any, xp_imag: Any) -> Any:
    """sum(re(out) * w0 + im(out) * w1): a real loss of a real or complex output."""
    if str(out.dtype).rpartition(".")[2].startswith("complex"):
        return (xp_real(out) * w[0]).sum() + (xp_imag(out) * w[1]).sum()
    return (out * w[0]).sum()


@pytest.mark.parametrize("case", sorted(CASES))
def test_numpy_function_records_the_graph_and_matches_torch(case: str) -> None:
    np_fn, torch_fn, inputs = CASES[case]
    xs = [pg_from(a, "numpy", requires_grad=True) for a in inputs]
    out = np_fn(*xs)
    assert isinstance(out, pg.Tensor), f"np call returned {type(out).__name__}"
    assert out.grad_fn is not None and out.requires_grad
    with np.errstate(all="ignore"):
        expected_value = np_fn(*inputs)
    assert_close(out, expected_value, rtol=1e-8, atol=1e-10, what="value against NumPy")

    w = _loss_weights(out, 100)
    grads = pg.autograd.grad(
        _weighted(out, tuple(pg.tensor(v) for v in w), pg.real, pg.imag), xs, allow_unused=True
    )
    ts = [torch_from(a, requires_grad=True) for a in inputs]
    expected_out = torch_fn(*ts).resolve_conj()
    assert_close(out, expected_out, rtol=1e-8, atol=1e-10, what="value against torch")
    expected = torch.autograd.grad(
        _weighted(expected_out, tuple(torch_from(v) for v in w), torch.real, torch.imag),
        ts,
        allow_unused=True,
    )
    for i, (g, e) in enumerate(zip(grads, expected)):
        if e is None:
            assert g is None or np.all(to_np(g) == 0), f"gradient {i}: torch has none"
        else:
            assert_close(g, e, rtol=1e-7, atol=1e-10, what=f"gradient {i}")


@pytest.mark.parametrize("backend", ["torch", "jax", "array_api_strict"])
def test_numpy_functions_on_other_backends(backend: str) -> None:
    """__array_function__ works whatever array library holds the tensor's data."""
    pytest.importorskip(backend)
    x = pg_from(A, backend, requires_grad=True)
    y = np.cov(x).sum() + np.abs(np.fft.rfft(x)).sum() + np.linalg.norm(x, axis=0).sum()
    assert isinstance(y, pg.Tensor) and y.backend == backend
    (g,) = pg.autograd.grad(y, x)
    xt = torch_from(A, requires_grad=True)
    yt = torch.cov(xt).sum() + torch.fft.rfft(xt).abs().sum() + torch.linalg.norm(xt, dim=0).sum()
    (gt,) = torch.autograd.grad(yt, xt)
    assert_close(g, gt)


def test_cov_of_integers_is_floating_like_numpy() -> None:
    x = pg.tensor(np.array([[1, 2, 4], [0, 3, 1]]))
    out = np.cov(x)
    assert isinstance(out, pg.Tensor) and out.dtype == pg.float64
    assert_close(out, np.cov(np.array([[1, 2, 4], [0, 3, 1]])))


# -- what is not covered raises, naming the function -------------------------------------------


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda x: np.linalg.lstsq(x, x[:, 0]), r"np\.linalg\.lstsq"),
        (lambda x: np.quantile(x, 0.3), r"np\.quantile"),
        (lambda x: np.cov(x, fweights=np.array([1, 2, 1, 1])), r"np\.cov"),
        (lambda x: np.linalg.svd(x, hermitian=True), r"np\.linalg\.svd"),
        (lambda x: np.einsum(x, [0, 1], [1, 0]), r"np\.einsum"),
        (lambda x: np.pad(x, 1, mode="reflect"), r"np\.pad"),
        (lambda x: np.std(x, where=x > 0), r"np\.std"),
        (lambda x: np.reshape(x, (4, 3), order="F"), r"np\.reshape"),
        (lambda x: np.take(x, [0, 5], mode="wrap"), r"np\.take"),
        (lambda x: np.max(x, where=x > 0, initial=0.0), r"np\.max"),
    ],
)
def test_unsupported_numpy_calls_name_the_function(call: Any, name: str) -> None:
    x = pg_from(A[:, :3] if "svd" in name else A, "numpy", requires_grad=True)
    with pytest.raises(TypeError, match=name + " is not supported on polygrad tensors"):
        call(x)
    # without grad there is no graph to lose: NumPy computes on the values
    plain = pg_from(A[:, :3] if "svd" in name else A, "numpy")
    found = call(plain)
    expected = call(A[:, :3] if "svd" in name else A)
    for f, e in zip(
        found if isinstance(found, tuple) else (found,),
        expected if isinstance(expected, tuple) else (expected,),
    ):
        assert_close(np.asarray(f), e)


def test_out_argument_is_refused_by_name() -> None:
    x = pg_from(A, "numpy", requires_grad=True)
    with pytest.raises(TypeError, match=r"np\.cumsum\(\.\.\., out=\.\.\.\) is not supported"):
        np.cumsum(x, out=np.empty(12))
    with pytest.raises(TypeError, match=r"y = np\.sin\(\.\.\.\)"):
        np.sin(x, out=np.empty((3, 4)))


def test_boolean_and_integer_results_need_no_graph() -> None:
    """Functions without a polygrad counterpart whose results carry no gradient (booleans,
    indices) run on the values even when the tensors require grad, as torch returns
    such results without grad_fn."""
    x = pg_from(A, "numpy", requires_grad=True)
    y = pg_from(A + 1e-12, "numpy", requires_grad=True)
    assert np.allclose(x, y) is True or np.allclose(x, y) == np.True_
    assert np.isclose(x, y).dtype == np.bool_ and np.isclose(x, y).all()
    assert np.array_equal(x, x)
    found = np.searchsorted(np.sort(x[0]), np.array([0.0]))
    assert_close(np.asarray(found), np.searchsorted(np.sort(A[0]), np.array([0.0])))
    with pytest.raises(TypeError, match=r"np\.unique is not supported"):
        np.unique(x)  # floating values: their gradient would be lost


def test_refused_in_place_functions_change_nothing() -> None:
    """A function that writes in place (np.copyto, np.fill_diagonal) is refused for
    tensors that require grad, and neither the tensor nor the array it named changed."""
    x = pg_from(SQ, "numpy", requires_grad=True)
    target = np.zeros((3, 3))
    with pytest.raises(TypeError, match=r"np\.copyto is not supported"):
        np.copyto(target, x)
    assert not target.any()
    with pytest.raises(TypeError, match=r"np\.fill_diagonal is not supported"):
        np.fill_diagonal(x, 0.0)
    assert_close(x.detach(), SQ)
