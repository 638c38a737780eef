"""torch's spellings of ``pg.linalg`` / ``pg.fft``: ``eigh(A, UPLO)`` reads one triangle
and gives torch's Hermitian gradient; ``out=`` writes into the caller's tensors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg


def _nonsymmetric() -> np.ndarray:
    rng = np.random.default_rng(7)
    a = rng.standard_normal((4, 4))
    return a @ a.T + 4 * np.eye(4) + np.triu(rng.standard_normal((4, 4)), k=1)


@pytest.mark.parametrize("uplo", ["L", "U", "u"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_eigh_reads_one_triangle_and_has_torch_gradient(uplo: str, backend: str) -> None:
    a = _nonsymmetric()
    weights = np.arange(1.0, 5.0)

    ta = torch.tensor(a, requires_grad=True)
    values, vectors = torch.linalg.eigh(ta, UPLO=uplo)
    ((values * torch.tensor(weights)).sum() + (vectors**2 * torch.tensor(weights)).sum()).backward()

    pa = pg.tensor(a, backend=backend, requires_grad=True)
    pvalues, pvectors = pg.linalg.eigh(pa, UPLO=uplo)
    (
        (pvalues * pg.tensor(weights, backend=backend)).sum()
        + (pvectors**2 * pg.tensor(weights, backend=backend)).sum()
    ).backward()

    np.testing.assert_allclose(pvalues.detach().numpy(), values.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(pa.grad.numpy(), ta.grad.numpy(), rtol=1e-8, atol=1e-10)
    assert pvalues.grad_fn.name() == values.grad_fn.name() == "LinalgEighBackward0"
    np.testing.assert_allclose(
        pg.linalg.eigvalsh(pa, uplo).detach().numpy(),
        torch.linalg.eigvalsh(ta, uplo).detach().numpy(),
    )


def test_eigh_refuses_an_unknown_triangle() -> None:
    with pytest.raises(RuntimeError, match="Expected UPLO argument to be 'L' or 'U', but got X"):
        pg.linalg.eigh(pg.eye(2), UPLO="X")


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_out_writes_into_the_callers_tensors(backend: str) -> None:
    a = pg.tensor(_nonsymmetric(), backend=backend)
    w, v = (
        pg.empty(4, dtype=pg.float64, backend=backend),
        pg.empty(4, 4, dtype=pg.float64, backend=backend),
    )
    result = pg.linalg.eigh(a, out=(w, v))
    assert result.eigenvalues is w and result.eigenvectors is v
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(a.numpy()), rtol=1e-10)
    norm = pg.empty((), dtype=pg.float64, backend=backend)
    assert pg.linalg.vector_norm(a, out=norm) is norm
    spectrum = pg.empty(4, 4, dtype=pg.complex128, backend=backend)
    assert pg.fft.fft(a, dim=0, out=spectrum) is spectrum
    np.testing.assert_allclose(spectrum.numpy(), np.fft.fft(a.numpy(), axis=0))


def test_out_is_not_differentiable_as_in_torch() -> None:
    a = pg.tensor(_nonsymmetric(), requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        pg.linalg.vector_norm(a, out=pg.empty((), dtype=pg.float64))


@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_eigh_vectors_are_torchs_up_to_sign(uplo: str, backend: str) -> None:
    # eigenvectors are defined up to sign; the torch backend asks torch's eigh for the
    # same triangle, so its signs (and gradients of any loss) are torch's exactly
    a = _nonsymmetric()
    want = torch.linalg.eigh(torch.tensor(a), UPLO=uplo).eigenvectors.numpy()
    got = pg.linalg.eigh(pg.tensor(a, backend=backend), UPLO=uplo).eigenvectors.numpy()
    signs = np.sign(np.sum(got * want, axis=-2))
    np.testing.assert_allclose(got * signs, want, atol=1e-10)
    if backend == "torch":
        np.testing.assert_array_equal(signs, np.ones(4))
