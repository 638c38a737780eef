"""Matrix factorizations for ``polygrad.linalg``: ``cholesky``, ``cholesky_ex``, ``qr``, ``eigh``,
``eigvalsh``, ``eig``, ``eigvals``, ``svd`` and ``svdvals``, with torch's rules and
gauge conventions.

Eigenvectors and singular vectors are defined up to sign (a phase for complex
inputs); the rules assume distinct eigenvalues / singular values where the vectors
get a gradient, as torch's do, and return the gradient of a loss that does not
depend on that choice. ``eigvalsh`` and ``svdvals`` record the same node as
``eigh``/``svd`` (torch's ``LinalgEighBackward0``/``LinalgSvdBackward0``), so the
vectors their rule uses stay in the graph for higher orders.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._core._node import Node
from .._core._record import MultiOutputNode, keep_for_backward, operand, record, record_multi
from .._core._tensor import Tensor, _make
from ._matrix import column, diag_embed, eye_mask, lower_mask, mH, row
from ._support import is_complex
from .linalg_inverse import raise_for_info, square


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor


class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


def _divide_nonzero(xp: Any, numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator``, but 0 where the numerator is 0.

    The engine hands unused outputs zeros; with them the eigen/singular-vector terms
    vanish even at repeated values (torch skips them: undefined gradients), while a
    real gradient there still meets the division, as in torch.
    """
    return xp.where(numerator == 0, 0.0, numerator / denominator)


def _right_solve(xp: Any, b: Any, r: Any) -> Any:
    """``b @ inv(r)^H``, as ``solve(r, b^H)^H``."""
    return mH(xp, xp.linalg.solve(r, mH(xp, b)))


# -- cholesky ---------------------------------------------------------------------------


class LinalgCholeskyExBackward0(Node):
    """``gA = L^-H phi(L^H gL) L^-1``, ``phi`` keeping the lower triangle with half its
    diagonal and mirroring it: a Hermitian gradient, as torch returns."""

    __slots__ = ("upper",)
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, factor: Any) -> tuple[Any, ...]:
        lower, g_lower = (mH(xp, factor), mH(xp, g)) if self.upper else (factor, g)
        n = lower.shape[-1]
        tril = lower_mask(self, g, n)
        phi = xp.where(tril, mH(xp, lower) @ g_lower, 0.0)
        phi = 0.5 * (phi + mH(xp, xp.where(lower_mask(self, g, n, strict=True), phi, 0.0)))
        left = xp.linalg.solve(mH(xp, lower), phi)
        return (mH(xp, xp.linalg.solve(mH(xp, lower), mH(xp, left))),)


class CholeskyExResult(NamedTuple):
    L: Tensor
    info: Tensor


def _not_positive_definite(code: int) -> str:
    return (
        "The factorization could not be completed because the input is not "
        f"positive-definite (the leading minor of order {code} is not positive-definite)."
    )


def _cholesky(x: Any, upper: bool, name: str, check_errors: bool) -> tuple[Tensor, Any]:
    """The recorded factor and the raw ``info`` (None where it was not computed)."""
    x = operand(x)
    square(x, name)
    backend = x._backend
    xp = backend.xp
    if name == "cholesky" and not backend.values_readable():  # nothing to check
        data, info = xp.linalg.cholesky(x._data), None
    else:
        data, info = backend.cholesky_ex(x._data)
        if check_errors:
            raise_for_info(backend, info, name, _not_positive_definite)
    if upper:
        data = mH(xp, data)
    result = record(LinalgCholeskyExBackward0, (x,), data, backend)
    return keep_for_backward(result, upper=upper), info


def cholesky(x: Any, /, *, upper: bool = False) -> Tensor:
    """The Cholesky factor of each Hermitian positive-definite matrix (lower unless
    ``upper``), reading its lower triangle; otherwise ``LinAlgError`` (torch's)."""
    return _cholesky(x, upper, "cholesky", check_errors=True)[0]


def cholesky_ex(
    A: Any,  # noqa: N803 - torch's name
    /,
    *,
    upper: bool = False,
    check_errors: bool = False,
) -> CholeskyExResult:
    """torch.linalg.cholesky_ex: ``(L, info)``, ``info`` an int32 tensor of the batch
    shape, 0 where the factorization succeeded and else the order of the first leading
    minor that is not positive-definite (``L`` then holds the partial factor, as MKL
    leaves it). ``check_errors=True`` raises ``LinAlgError`` as ``cholesky`` does."""
    factor, info = _cholesky(A, upper, "cholesky_ex", check_errors)
    return CholeskyExResult(factor, _make(info, factor._backend))


# -- qr -----------------------------------------------------------------------------------


class LinalgQrBackward0(MultiOutputNode):
    __slots__ = ("mode",)
    _saved_from = (-1, -2)

    def vjp(self, xp: Any, grads: Any, q: Any, r: Any) -> tuple[Any, ...]:
        g_q, g_r = grads
        m, n = q.shape[-2], r.shape[-1]
        if self.mode == "complete" and m > n:
            raise RuntimeError(
                "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
            )
        k = min(m, n)
        eye = eye_mask(self, g_q, k)
        m_h = g_r @ mH(xp, r) - mH(xp, q) @ g_q
        if m >= n:
            upper = xp.where(lower_mask(self, g_q, k), 0.0, m_h)  # strictly upper part
            upper = xp.where(eye, 0.5 * m_h, upper)  # plus half the diagonal
            sym = upper + mH(xp, upper)  # Hermitian; its diagonal is Re(diag)
            return (_right_solve(xp, q @ sym + g_q, r),)
        skew = -m_h + mH(xp, m_h)  # tril(X - X^H) of X = -M^H, imaginary diagonal halved
        skew = xp.where(lower_mask(self, g_q, k, strict=True), skew, xp.where(eye, 0.5 * skew, 0.0))
        lead = _right_solve(xp, q @ skew, r[..., :m])
        lead = xp.concat([lead, xp.zeros_like(g_r[..., m:])], axis=-1)
        return (lead + q @ g_r,)


def qr(x: Any, /, *, mode: str = "reduced") -> QRResult:
    """``Q`` (orthonormal columns) and ``R`` (upper triangular) with ``Q @ R = x``."""
    x = operand(x)
    if x.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    if mode not in ("reduced", "complete"):
        raise ValueError(
            f"qr received unrecognized mode '{mode}' but expected one of "
            "'reduced' (default) or 'complete'"
        )
    q, r = x._backend.xp.linalg.qr(x._data, mode=mode)
    results = record_multi(LinalgQrBackward0, (x,), (q, r), x._backend)
    keep_for_backward(results[0], mode=mode)
    return QRResult(*results)


# -- eigh, eigvalsh ----------------------------------------------------------------------


class LinalgEighBackward0(MultiOutputNode):
    """``gA = V (diag(gL) + skew(V^H gV) / (L_j - L_i)) V^H`` (Hermitian, torch's formula)."""

    __slots__ = ()
    _saved_from = (-1, -2)

    def vjp(self, xp: Any, grads: Any, values: Any, vectors: Any) -> tuple[Any, ...]:
        g_values, g_vectors = grads
        v, v_h = vectors, mH(xp, vectors)
        n = values.shape[-1]
        eye = eye_mask(self, g_values, n)
        inner = v_h @ g_vectors
        inner = 0.5 * (inner - mH(xp, inner))
        gaps = xp.where(eye, 1.0, row(xp, values) - column(xp, values))
        inner = diag_embed(xp, eye, g_values, _divide_nonzero(xp, inner, gaps))
        return (v @ inner @ v_h,)


def eigh(x: Any, /) -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of Hermitian matrices.

    Like torch and NumPy, only the lower triangle of ``x`` is read.
    """
    x = operand(x)
    square(x, "eigh")
    return _recorded_eigh(x, x._data)


def eigh_of_triangle(x: Any, uplo: str) -> EighResult:
    """torch's ``eigh(A, UPLO)``: the eigendecomposition of the Hermitian matrix whose
    lower (``"L"``) or upper (``"U"``) triangle is ``x``'s, on every backend (JAX would
    otherwise average ``x`` with its conjugate transpose). As in torch, the other
    triangle is never read, and the gradient is the Hermitian one of the rule above."""
    x = operand(x)
    square(x, "eigh")
    values, vectors = x._backend.eigh_of_triangle(x._data, uplo)
    return EighResult(*record_multi(LinalgEighBackward0, (x,), (values, vectors), x._backend))


def _recorded_eigh(x: Tensor, hermitian: Any) -> EighResult:
    values, vectors = x._backend.xp.linalg.eigh(hermitian)
    return EighResult(*record_multi(LinalgEighBackward0, (x,), (values, vectors), x._backend))


def eigvalsh(x: Any, /) -> Tensor:
    """Eigenvalues (ascending) of Hermitian matrices."""
    return eigh(x)[0]


# -- eig, eigvals ---------------------------------------------------------------------------


class EigResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class LinalgEigBackward0(MultiOutputNode):
    """torch's non-Hermitian rule: ``gA = V^-H (diag(gL) + P / conj(L_j - L_i)) V^H`` with
    ``P = V^H gV - V^H V Re(diag(V^H gV))`` (eigenvectors of unit norm); a real input
    gets the real part."""

    __slots__ = ("real_input",)
    _saved_from = (-1, -2)

    def vjp(self, xp: Any, grads: Any, values: Any, vectors: Any) -> tuple[Any, ...]:
        g_values, g_vectors = grads
        v_h = mH(xp, vectors)
        n = values.shape[-1]
        eye = eye_mask(self, g_values, n)
        inner = v_h @ g_vectors
        norm_terms = xp.real(xp.linalg.diagonal(inner))
        inner = inner - v_h @ (vectors * row(xp, norm_terms))
        gaps = xp.conj(xp.where(eye, 1.0, row(xp, values) - column(xp, values)))
        inner = diag_embed(xp, eye, g_values, _divide_nonzero(xp, inner, gaps))
        grad = xp.linalg.solve(v_h, inner @ v_h)
        return (xp.real(grad) if self.real_input else grad,)


def eig(x: Any, /) -> EigResult:
    """Eigenvalues and unit-norm eigenvectors of square matrices (complex results)."""
    x = operand(x)
    square(x, "eig")
    backend = x._backend
    values, vectors = backend.xp.linalg.eig(x._data)
    real_input = not is_complex(x._data)
    if not is_complex(values):  # the standard's results are complex even when real
        name = "complex64" if backend.pg_dtype(values.dtype).name == "float32" else "complex128"
        values = backend.xp.astype(values, backend.dtype(name))
        vectors = backend.xp.astype(vectors, backend.dtype(name))
    results = record_multi(LinalgEigBackward0, (x,), (values, vectors), backend)
    keep_for_backward(results[0], real_input=real_input)
    return EigResult(*results)


def eigvals(x: Any, /) -> Tensor:
    """Eigenvalues of square matrices (complex)."""
    return eig(x)[0]


# -- svd, svdvals ---------------------------------------------------------------------------


class LinalgSvdBackward0(MultiOutputNode):
    """torch's ``svd_backward`` (extra columns of full ``U``/``Vh`` get no gradient)."""

    __slots__ = ()
    _saved_from = (-1, -2, -3)

    def vjp(self, xp: Any, grads: Any, u: Any, s: Any, vh: Any) -> tuple[Any, ...]:
        g_u, g_s, g_vh = grads
        m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
        if u.shape[-1] != k:  # full_matrices: keep the first k singular vectors
            u, g_u = u[..., :k], g_u[..., :k]
        if vh.shape[-2] != k:
            vh, g_vh = vh[..., :k, :], g_vh[..., :k, :]
        u_h = mH(xp, u)
        uhgu = u_h @ g_u
        uhgu = uhgu - mH(xp, uhgu)
        vhgv = vh @ mH(xp, g_vh)
        vhgv = vhgv - mH(xp, vhgv)
        eye = eye_mask(self, g_s, k)
        s2 = s * s
        gaps = xp.where(eye, 1.0, row(xp, s2) - column(xp, s2))
        inner = _divide_nonzero(xp, uhgu * row(xp, s) + column(xp, s) * vhgv, gaps)
        diagonal = g_s
        if is_complex(u):  # the phase part of U^H gU (V^H gV's is its negative)
            diagonal = diagonal + _divide_nonzero(xp, xp.linalg.diagonal(uhgu), 2 * s)
        inner = diag_embed(xp, eye, diagonal, inner)
        if m > n:
            g_u_scaled = _divide_nonzero(xp, g_u, row(xp, s))
            return (((u @ inner) + g_u_scaled - u @ (u_h @ g_u_scaled)) @ vh,)
        if m < n:
            g_vh_scaled = _divide_nonzero(xp, g_vh, column(xp, s))
            return (u @ ((inner @ vh) + g_vh_scaled - (g_vh_scaled @ mH(xp, vh)) @ vh),)
        return (u @ (inner @ vh),)


def svd(x: Any, /, *, full_matrices: bool = True) -> SVDResult:
    """``U``, singular values ``S`` (descending) and ``Vh`` with ``U @ diag(S) @ Vh = x``."""
    x = operand(x)
    if x.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    u, s, vh = x._backend.xp.linalg.svd(x._data, full_matrices=full_matrices)
    return SVDResult(*record_multi(LinalgSvdBackward0, (x,), (u, s, vh), x._backend))


def svdvals(x: Any, /) -> Tensor:
    """Singular values of each matrix, in descending order."""
    return svd(x, full_matrices=False)[1]
