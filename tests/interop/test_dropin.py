"""Real third-party array-API code run on polygrad tensors, on every backend.

SciPy (with ``SCIPY_ARRAY_API=1``, set in tests/conftest.py), array-api-extra,
scikit-learn (``array_api_dispatch=True``) and einops run unchanged on polygrad
tensors; their gradients are checked against torch.autograd running the very same
library code on torch tensors, or, where torch itself cannot differentiate that code
(scikit-learn copies with ``asarray``, which drops torch's graph), against finite
differences (``pg.gradcheck``).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import assert_close, pg_from, to_np, torch, torch_from

import polygrad as pg

scipy = pytest.importorskip("scipy")
from scipy import special, stats  # noqa: E402
from scipy._lib import _array_api  # noqa: E402

xpx = pytest.importorskip("array_api_extra")

if not _array_api.SCIPY_ARRAY_API:  # scipy was imported before tests/conftest.py set it
    pytest.skip(
        f"SciPy's array API support is off (SCIPY_ARRAY_API={os.environ.get('SCIPY_ARRAY_API')!r} "
        "when scipy was first imported)",
        allow_module_level=True,
    )

rng = np.random.default_rng(0)


def normal(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def positive(*shape: int) -> np.ndarray:
    return rng.uniform(0.5, 2.0, shape)


def torch_grads(fn: Any, inputs: list[np.ndarray], weights: np.ndarray) -> tuple[Any, ...]:
    xs = [torch_from(a, requires_grad=True) for a in inputs]
    out = fn(*xs)
    grads = torch.autograd.grad((out * torch_from(weights)).sum(), xs, allow_unused=True)
    return out, grads


def polygrad_grads(
    fn: Any, inputs: list[np.ndarray], weights: np.ndarray, backend: str
) -> tuple[Any, ...]:
    xs = [pg_from(a, backend, requires_grad=True) for a in inputs]
    out = fn(*xs)
    assert isinstance(out, pg.Tensor) and out.backend == backend
    loss = (out * pg_from(weights, backend)).sum()
    grads = pg.autograd.grad(loss, xs, allow_unused=True)
    return out, grads


def check_against_torch(
    fn: Any, inputs: list[np.ndarray], backend: str, rtol: float = 1e-8
) -> None:
    expected_out, expected = torch_grads(fn, inputs, weights := normal(*_shape(fn, inputs)))
    out, found = polygrad_grads(fn, inputs, weights, backend)
    assert_close(out, expected_out, rtol=rtol, what="value")
    for i, (a, e) in enumerate(zip(found, expected)):
        assert_close(a, e, rtol=rtol, atol=1e-10, what=f"gradient {i}")


def _shape(fn: Any, inputs: list[np.ndarray]) -> tuple[int, ...]:
    return tuple(fn(*[torch_from(a) for a in inputs]).shape)


# -- SciPy ------------------------------------------------------------------------------------

SCIPY = {
    "special.logsumexp": (lambda x: special.logsumexp(x, axis=1), [normal(3, 4)]),
    "special.logsumexp_b": (
        lambda x, b: special.logsumexp(x, axis=0, b=b),
        [normal(3, 4), positive(3, 4)],
    ),  # noqa: E501
    "special.softmax": (lambda x: special.softmax(x, axis=1), [normal(3, 4)]),
    "special.log_softmax": (lambda x: special.log_softmax(x, axis=0), [normal(3, 4)]),
    "special.rel_entr": (lambda x, y: special.rel_entr(x, y), [positive(5), positive(5)]),
    "special.xlogy": (lambda x, y: special.xlogy(x, y), [positive(5), positive(5)]),
    "special.expit": (lambda x: special.expit(x), [normal(5)]),
    "stats.zscore": (lambda x: stats.zscore(x, axis=0), [normal(6, 3)]),
    "stats.moment": (lambda x: stats.moment(x, order=3, axis=1), [normal(3, 6)]),
    "stats.skew": (lambda x: stats.skew(x, axis=1), [normal(3, 6)]),
    "stats.kurtosis": (lambda x: stats.kurtosis(x, axis=1), [normal(3, 6)]),
    "stats.variation": (lambda x: stats.variation(x, axis=1), [positive(3, 6)]),
    "stats.gmean": (lambda x: stats.gmean(x, axis=1), [positive(3, 6)]),
    "stats.hmean": (lambda x: stats.hmean(x, axis=1), [positive(3, 6)]),
    "stats.pmean": (lambda x: stats.pmean(x, 2.5, axis=1), [positive(3, 6)]),
    "stats.sem": (lambda x: stats.sem(x, axis=1), [normal(3, 6)]),
    "stats.tvar": (lambda x: stats.tvar(x), [normal(8)]),
    "stats.entropy": (lambda p, q: stats.entropy(p, q, axis=1), [positive(3, 4), positive(3, 4)]),
    "integrate.trapezoid": (lambda y: scipy.integrate.trapezoid(y, axis=1), [normal(3, 5)]),
    "optimize.rosen": (lambda x: scipy.optimize.rosen(x), [normal(5)]),
    "cluster.vq.whiten": (lambda x: scipy.cluster.vq.whiten(x), [normal(6, 3)]),
}


#: SciPy functions that modify intermediates in place after saving them: torch's
#: autograd refuses to differentiate them (version counter), polygrad gets them right.
TORCH_REFUSES = {"special.logsumexp_b", "special.log_softmax", "cluster.vq.whiten"}
#: Dask cannot index with boolean masks (``x[mask]``, ``x[mask] = v``: unknown sizes).
DASK_BOOLEAN_MASKS = {
    "special.logsumexp",
    "special.logsumexp_b",
    "special.log_softmax",
    "special.rel_entr",
    "stats.entropy",
    "stats.variation",
    "stats.tvar",
    "stats.zscore",
    "cluster.vq.whiten",
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(SCIPY))
def test_scipy_on_polygrad(case: str, backend: str) -> None:
    import scipy.cluster.vq  # noqa: F401 - the submodules the cases use
    import scipy.integrate  # noqa: F401
    import scipy.optimize  # noqa: F401

    if backend == "dask" and case in DASK_BOOLEAN_MASKS:
        pytest.skip("SciPy indexes with boolean masks, which Dask arrays cannot do")
    fn, inputs = SCIPY[case]
    if case not in TORCH_REFUSES:
        check_against_torch(fn, inputs, backend)
        return
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        torch_grads(fn, inputs, normal(*_shape(fn, inputs)))
    xs = [pg_from(a, backend, requires_grad=True) for a in inputs]
    assert pg.gradcheck(fn, tuple(xs), atol=1e-6, rtol=1e-5)


def test_scipy_loss_with_pg_grad_on_raw_arrays() -> None:
    """The issue's example: differentiate an existing SciPy loss; numpy in, numpy out."""
    X, w, y = normal(5, 3), normal(3, 2), rng.uniform(0, 1, (5, 2))

    def loss(w: Any, X: Any, y: Any) -> Any:
        xp = w.__array_namespace__() if hasattr(w, "__array_namespace__") else None
        z = X @ w
        value = (
            special.logsumexp(z, axis=1) - (z * y).sum(1)
            if xp is None
            else special.logsumexp(z, axis=1) - xp.sum(z * y, axis=1)
        )
        return value.mean()

    g = pg.grad(loss)(w, X, y)
    assert isinstance(g, np.ndarray)
    wt = torch_from(w, requires_grad=True)
    (expected,) = torch.autograd.grad(loss(wt, torch_from(X), torch_from(y)), wt)
    assert_close(g, expected)


# -- array-api-extra ---------------------------------------------------------------------------

XPX = {
    "cov": (lambda x: xpx.cov(x), [normal(3, 6)]),
    "sinc": (lambda x: xpx.sinc(x), [normal(6)]),
    "kron": (lambda x, y: xpx.kron(x, y), [normal(2, 3), normal(2, 2)]),
    "pad": (lambda x: xpx.pad(x, 2), [normal(3, 2)]),
    "nan_to_num": (lambda x: xpx.nan_to_num(x * 1), [normal(5)]),
    "apply_where": (
        lambda x: xpx.apply_where(x > 0, x, lambda v: v**0.5, fill_value=0.0),
        [normal(6)],
    ),
    "at_set": (lambda x, y: xpx.at(x * 1)[0].set(y[0]), [normal(3, 2), normal(2, 2)]),
    "at_add": (lambda x, y: xpx.at(x * 1)[:, 1].add(y), [normal(3, 2), normal(3)]),
    "at_multiply": (lambda x: xpx.at(x * 1)[1:].multiply(3.0), [normal(4)]),
    "atleast_nd": (lambda x: xpx.atleast_nd(x, ndim=3), [normal(4)]),
    "create_diagonal": (lambda x: xpx.create_diagonal(x), [normal(4)]),
    "expand_dims": (lambda x: xpx.expand_dims(x, axis=(0, 2)), [normal(2, 3)]),
    "one_hot": (lambda x: x * xpx.one_hot(_labels(x), 4, dtype=x.dtype), [normal(3, 4)]),
}


def _labels(like: Any) -> Any:
    xp = like.__array_namespace__() if hasattr(like, "__array_namespace__") else torch
    return xp.asarray([0, 3, 1], device=like.device) if xp is not torch else torch.tensor([0, 3, 1])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(XPX))
def test_array_api_extra_on_polygrad_matches_torch(case: str, backend: str) -> None:
    if backend == "dask" and case == "apply_where":
        pytest.skip("apply_where indexes with a boolean mask, which Dask arrays cannot do")
    fn, inputs = XPX[case]
    check_against_torch(fn, inputs, backend)


# -- scikit-learn (finite differences: torch's asarray copies drop its graph) ------------------


def _sklearn_cases() -> dict[str, Any]:
    from sklearn.decomposition import PCA
    from sklearn.linear_model import Ridge
    from sklearn.metrics import pairwise
    from sklearn.preprocessing import MinMaxScaler, StandardScaler, normalize

    local = np.random.default_rng(5)  # the same data whichever test calls this, and when
    y = local.standard_normal(8)
    fit_data = local.standard_normal((6, 3))
    return {
        # fit(X) itself has a NaN gradient (see test_standard_scaler_fit_gradient_is_torchs);
        # fitted on other data, or updated by partial_fit, it is finite
        "StandardScaler": lambda X: StandardScaler().fit(_like(X, fit_data)).transform(X),
        "StandardScaler_partial_fit": lambda X: (
            StandardScaler().partial_fit(_like(X, fit_data)).partial_fit(X).transform(X)
        ),
        "MinMaxScaler": lambda X: MinMaxScaler().fit_transform(X),
        "normalize": lambda X: normalize(X),
        "PCA_full": lambda X: PCA(n_components=2, svd_solver="full").fit_transform(X).abs(),
        "PCA_covariance_eigh": lambda X: (
            PCA(n_components=2, svd_solver="covariance_eigh").fit(X).explained_variance_
        ),
        "Ridge_svd": lambda X: Ridge(alpha=0.5, solver="svd").fit(X, _like(X, y)).coef_,
        "rbf_kernel": lambda X: pairwise.rbf_kernel(X, X[:3] * 2, gamma=0.3),
        "euclidean_distances": lambda X: pairwise.euclidean_distances(X, X[:3] + 1),
        "cosine_similarity": lambda X: pairwise.cosine_similarity(X, X[:3] + 1),
        "polynomial_kernel": lambda X: pairwise.polynomial_kernel(X, X[:3], degree=2),
        "sigmoid_kernel": lambda X: pairwise.sigmoid_kernel(X, X[:3]),
        "LinearDiscriminantAnalysis": lambda X: _lda(X),
    }


def _like(X: Any, values: np.ndarray) -> Any:
    return pg.tensor(values, dtype=X.dtype, backend=X.backend)


def _lda(X: Any) -> Any:
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    labels = pg.tensor(np.array([0, 1, 0, 1, 0, 1, 1, 0]), backend=X.backend)
    return LinearDiscriminantAnalysis(solver="svd").fit(X, labels).coef_


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(_sklearn_cases()))
def test_sklearn_on_polygrad_gradcheck(case: str, backend: str) -> None:
    sklearn = pytest.importorskip("sklearn")
    if backend == "dask":
        pytest.skip("scikit-learn's array API support does not cover Dask arrays")
    fn = _sklearn_cases()[case]
    X = pg_from(np.random.default_rng(1).standard_normal((8, 3)), backend, requires_grad=True)
    with sklearn.config_context(array_api_dispatch=True):
        out = fn(X)
        assert isinstance(out, pg.Tensor) and out.requires_grad
        assert pg.gradcheck(fn, (X,), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("backend", ["numpy", "torch", "jax"])
def test_standard_scaler_fit_gradient_is_torchs(backend: str) -> None:
    """``StandardScaler().fit(X)``: the mean's gradient is finite, the variance's is NaN,
    exactly as torch.autograd gives for the same scikit-learn code. Its incremental
    variance divides ``0 / 0`` on the first batch (``last_sum / last_over_new_count``)
    and overwrites that entry by index: the value is right, but the overwritten entry
    still sends ``0 * nan = nan`` back to X in any AD system. A later ``partial_fit``
    (no 0 / 0) has a finite gradient, also torch's."""
    sklearn = pytest.importorskip("sklearn")
    pytest.importorskip(backend)
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils.extmath import _incremental_mean_and_var

    first, second = normal(8, 3), normal(5, 3)
    w_mean, w_var = normal(3), normal(3)
    with sklearn.config_context(array_api_dispatch=True):
        # torch.asarray inside StandardScaler detaches torch tensors: compare the function
        # that does the work, on torch tensors, with StandardScaler on polygrad tensors
        xt = torch_from(first, requires_grad=True)
        mean_t, var_t, count_t = _incremental_mean_and_var(xt, 0.0, 0.0, 0)
        (g_mean_t,) = torch.autograd.grad((mean_t * torch_from(w_mean)).sum(), xt)
        (g_var_t,) = torch.autograd.grad((var_t * torch_from(w_var)).sum(), xt)
        yt = torch_from(second, requires_grad=True)
        _, var2_t, _ = _incremental_mean_and_var(yt, mean_t.detach(), var_t.detach(), count_t)
        (g_var2_t,) = torch.autograd.grad((var2_t * torch_from(w_var)).sum(), yt)

        x = pg_from(first, backend, requires_grad=True)
        scaler = StandardScaler().fit(x)
        (g_mean,) = pg.autograd.grad((scaler.mean_ * pg_from(w_mean, backend)).sum(), x)
        (g_var,) = pg.autograd.grad((scaler.var_ * pg_from(w_var, backend)).sum(), x)
        y = pg_from(second, backend, requires_grad=True)
        scaler = StandardScaler().fit(pg_from(first, backend)).partial_fit(y)
        (g_var2,) = pg.autograd.grad((scaler.var_ * pg_from(w_var, backend)).sum(), y)
    assert_close(scaler.var_, np.var(np.concatenate([first, second]), axis=0), rtol=1e-8)
    assert_close(g_mean, g_mean_t)
    assert np.isnan(g_var_t.numpy()).all() and np.isnan(to_np(g_var)).all()
    assert np.isfinite(to_np(g_var2)).all()
    assert_close(g_var2, g_var2_t, rtol=1e-8)


# -- einops ---------------------------------------------------------------------------------------


def _einops_model(einops: Any) -> Any:
    def fn(x: Any, w: Any) -> Any:
        h = einops.einsum(x, w, "b i d, d o -> b i o")
        h = einops.rearrange(h, "b i (o k) -> b k i o", k=2)
        h = einops.reduce(h, "b k i o -> b i o", "max") + einops.reduce(
            h, "b k i o -> b o i", "mean"
        ).transpose(1, 2)
        return einops.repeat(h, "b i o -> b i o r", r=2)

    return fn


@pytest.mark.parametrize("backend", BACKENDS)
def test_einops_main_api_matches_torch(backend: str) -> None:
    einops = pytest.importorskip("einops")
    check_against_torch(_einops_model(einops), [normal(2, 3, 4), normal(4, 6)], backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_einops_array_api_module(backend: str) -> None:
    pytest.importorskip("einops")
    import einops.array_api as ea

    def fn(x: Any) -> Any:
        y = (
            ea.rearrange(x, "b h w -> b (h w)")
            if backend != "array_api_strict"
            else ea.rearrange(x, "b h w -> w b h")
        )
        return ea.reduce(ea.repeat(y, "... -> ... r", r=2), "... r -> ...", "sum")

    x = pg_from(normal(2, 3, 4), backend, requires_grad=True)
    out = fn(x)
    assert isinstance(out, pg.Tensor)
    import einops

    expected_out, expected = torch_grads(
        lambda t: einops.reduce(
            einops.repeat(
                einops.rearrange(t, "b h w -> b (h w)")
                if backend != "array_api_strict"
                else einops.rearrange(t, "b h w -> w b h"),
                "... -> ... r",
                r=2,
            ),
            "... r -> ...",
            "sum",
        ),
        [x.detach().numpy()],
        weights := normal(*tuple(out.shape)),
    )
    (found,) = pg.autograd.grad((out * pg_from(weights, backend)).sum(), x)
    assert_close(out, expected_out)
    assert_close(found, expected[0])


def test_einops_einsum_patterns_match_numpy() -> None:
    from polygrad._spellings.interop._einops import einsum

    a, b, c = normal(2, 3), normal(3, 4), normal(4)
    for pattern, operands in [
        ("ij,jk->ik", (a, b)),
        ("ij,jk,k->i", (a, b, c)),
        ("ii->i", (b[:3, :3],)),
        ("ij->", (a,)),
        ("ij,jk", (a, b)),
        ("...j,jk->...k", (a, b)),
        ("bij,bjk->bik", (np.stack([a, a]), np.stack([b, b]))),
    ]:
        found = einsum(pattern, *[pg.tensor(o) for o in operands])
        assert_close(found, np.einsum(pattern, *operands), what=pattern)


# -- NumPy's and torch's own functions on polygrad tensors ------------------------------------------


def test_numpy_functions_record_the_graph() -> None:
    x = pg.tensor(normal(3, 4), requires_grad=True)
    w = normal(3, 4)
    y = (
        np.sum(np.sin(x) * w) + np.mean(np.exp(x), axis=1).sum() + (w @ x.T).trace()
        if hasattr(pg.Tensor, "trace")
        else np.sum(np.sin(x) * w) + np.mean(np.exp(x), axis=1).sum()
    )
    assert isinstance(y, pg.Tensor) and y.grad_fn is not None
    (g,) = pg.autograd.grad(y, x)
    xt = torch_from(x.detach().numpy(), requires_grad=True)
    yt = (xt.sin() * torch_from(w)).sum() + xt.exp().mean(1).sum()
    if hasattr(pg.Tensor, "trace"):
        yt = yt + (torch_from(w) @ xt.T).trace()
    (gt,) = torch.autograd.grad(yt, xt)
    assert_close(g, gt)
    z = np.concatenate([np.maximum(x, 0.0), np.add.reduce(x, axis=0, keepdims=True)])
    assert z.grad_fn.name() == "CatBackward0"
    assert np.std(x, ddof=1).grad_fn is not None


def test_numpy_unsupported_function_names_itself() -> None:
    x = pg.tensor(normal(4), requires_grad=True)
    with pytest.raises(
        TypeError, match=r"np\.quantile is not supported on polygrad tensors that require grad"
    ):
        np.quantile(x, 0.3)
    assert (
        np.fft.fft(x).grad_fn.name() == "FftR2CBackward0"
    )  # covered: tests/interop/test_numpy_protocol.py
    with pytest.raises(TypeError, match=r"np\.sin\(\.\.\., out=\.\.\.\) is not supported"):
        np.sin(x, out=np.empty(4))
    # no graph to lose: NumPy computes on the values, as np.asarray(x) would
    assert np.allclose(pg.tensor([1.0, 2.0]), [1.0, 2.0])


def test_torch_functions_record_the_graph() -> None:
    x = pg.tensor(torch_from(normal(3, 4)), requires_grad=True)
    w = torch_from(normal(3, 4))
    y = (
        torch.sum(torch.nn.functional.softmax(x, dim=1) * w)
        + torch.cat([x, w]).exp().mean()
        + (w * x).sum(dim=0).max()
    )
    assert isinstance(y, pg.Tensor) and y.backend == "torch"
    (g,) = pg.autograd.grad(y, x)
    xt = x.detach()._data.clone().requires_grad_()
    yt = (
        torch.sum(torch.nn.functional.softmax(xt, dim=1) * w)
        + torch.cat([xt, w]).exp().mean()
        + (w * xt).sum(dim=0).max()
    )
    (gt,) = torch.autograd.grad(yt, xt)
    assert_close(g, gt)
    with pytest.raises(TypeError, match="torch function .*lstsq.* is not supported on polygrad"):
        torch.linalg.lstsq(x, x)
    with pytest.raises(TypeError, match="torch function .*solve.* is not supported on polygrad"):
        torch.linalg.solve(x[:, :3], x, left=False)  # an argument polygrad does not take


@pytest.mark.parametrize(
    "call",
    [
        lambda m, t: m.fft.fft(t, dim=0).abs(),
        lambda m, t: m.fft.rfft(t, 6).abs(),
        lambda m, t: m.fft.ifftn(t, norm="ortho").real,
        lambda m, t: m.fft.fftshift(t, dim=1) * t,
        lambda m, t: m.linalg.inv(t[:, :3]),
        lambda m, t: m.linalg.det(t[:, :3]),
        lambda m, t: m.linalg.solve(t[:, :3], t),
        lambda m, t: m.linalg.vector_norm(t, 3, dim=1, keepdim=True),
        lambda m, t: m.linalg.matrix_power(t[:, :3], 3),
        lambda m, t: m.linalg.cross(t[:, :3], t[:, 1:], dim=1),
    ],
)
def test_torch_fft_and_linalg_record_the_graph(call) -> None:
    x = pg.tensor(torch_from(normal(3, 4)), requires_grad=True)
    y = call(torch, x)
    assert isinstance(y, pg.Tensor)
    (g,) = pg.autograd.grad(y.sum(), x)
    xt = x.detach()._data.clone().requires_grad_()
    (gt,) = torch.autograd.grad(call(torch, xt).sum(), xt)
    assert_close(g, gt)
