"""Differentiable special functions: ``pg.special.erf(x)``, also ``xp.special`` on the namespace.

``erf erfc erfinv erfcx expit logit gammaln digamma`` (alias ``psi``, SciPy's name)
``polygamma ndtr log_ndtr ndtri xlogy xlog1py entr i0 i0e i1 i1e``, each with torch's derivative and node name. SciPy (with
``SCIPY_ARRAY_API=1``) looks up ``xp.special.<name>`` on a foreign namespace, so
``scipy.special.erf(tensor)`` runs these and stays in the graph.

Values come from the backend's own implementation: ``scipy.special`` for NumPy,
``torch.special`` for torch, ``jax.scipy.special`` for JAX. Backends without one
(array-api-strict, Dask) go through NumPy and ``scipy.special`` and back: the
standard has no special functions, so that conversion is the only way there.
"""

from __future__ import annotations

from ._bessel import i0, i0e, i1, i1e
from ._error import erf, erfc, erfcx, erfinv, log_ndtr, ndtr, ndtri
from ._gamma import digamma, gammaln, polygamma, psi
from ._logs import entr, expit, logit, xlog1py, xlogy
from ._native import native as native

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "expit",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log_ndtr",
    "logit",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "xlog1py",
    "xlogy",
]
