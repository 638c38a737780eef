"""Differentiable special functions: ``pg.special.erf(x)``, also ``xp.special`` on the namespace.

``erf erfc erfinv erfcx expit logit gammaln digamma`` (alias ``psi``, SciPy's name)
``polygamma ndtr log_ndtr ndtri xlogy xlog1py entr i0 i0e i1 i1e multigammaln zeta``,
``gammainc gammaincc`` (torch's ``igamma igammac``), each
with torch's derivative and node name; torch's Bessel, Airy and orthogonal-polynomial
functions (``bessel_j0``, ``airy_ai``, ``chebyshev_polynomial_t``...), which torch does
not differentiate. SciPy (with
``SCIPY_ARRAY_API=1``) looks up ``xp.special.<name>`` on a foreign namespace, so
``scipy.special.erf(tensor)`` runs these and stays in the graph.

Values come from the backend's own implementation: ``scipy.special`` for NumPy,
``torch.special`` for torch, ``jax.scipy.special`` for JAX. Backends without one
(array-api-strict, Dask) go through NumPy and ``scipy.special`` and back: the
standard has no special functions, so that conversion is the only way there.
"""

from __future__ import annotations

from ._bessel import (
    airy_ai,
    bessel_j0,
    bessel_j1,
    bessel_y0,
    bessel_y1,
    i0,
    i0e,
    i1,
    i1e,
    modified_bessel_i0,
    modified_bessel_i1,
    modified_bessel_k0,
    modified_bessel_k1,
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
    spherical_bessel_j0,
)
from ._error import erf, erfc, erfcx, erfinv, log_ndtr, ndtr, ndtri
from ._gamma import (
    digamma,
    gammainc,
    gammaincc,
    gammaln,
    multigammaln,
    polygamma,
    psi,
    zeta,
)
from ._logs import entr, expit, logit, xlog1py, xlogy
from ._native import native as native
from ._polynomials import (
    chebyshev_polynomial_t,
    chebyshev_polynomial_u,
    chebyshev_polynomial_v,
    chebyshev_polynomial_w,
    hermite_polynomial_h,
    hermite_polynomial_he,
    laguerre_polynomial_l,
    legendre_polynomial_p,
    shifted_chebyshev_polynomial_t,
    shifted_chebyshev_polynomial_u,
    shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
)

__all__ = [
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "expit",
    "gammainc",
    "gammaincc",
    "gammaln",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "log_ndtr",
    "logit",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "spherical_bessel_j0",
    "xlog1py",
    "xlogy",
    "zeta",
]
