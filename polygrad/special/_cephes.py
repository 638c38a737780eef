"""torch's Bessel functions of the first and second kind in array-API code:
``bessel_j0 bessel_j1 bessel_y0 bessel_y1`` for backends whose library has none.

torch computes them with its own port of Cephes' rational approximations (ATen's
``Math.h``), which departs from Cephes (and so from SciPy) in the asymptotic range: its
``QQ`` denominators drop Cephes' implicit leading 1. The values torch gives there differ
from SciPy's by up to ~1e-6 near the zeros, so these follow torch's evaluation order and
coefficients exactly. Each branch is evaluated everywhere and selected with ``where``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_TWO_OVER_PI = 0.636619772367581343075535053490057448
_SQRT_TWO_OVER_PI = 0.797884560802865355879892119868763737
_QUARTER_PI = 0.785398163397448309615660845819875721
_THREE_QUARTER_PI = 2.356194490192344928846982537459627163

# fmt: off
_J0_PP = (7.96936729297347051624e-04, 8.28352392107440799803e-02, 1.23953371646414299388e00,
          5.44725003058768775090e00, 8.74716500199817011941e00, 5.30324038235394892183e00,
          9.99999999999999997821e-01)
_J0_PQ = (9.24408810558863637013e-04, 8.56288474354474431428e-02, 1.25352743901058953537e00,
          5.47097740330417105182e00, 8.76190883237069594232e00, 5.30605288235394617618e00,
          1.00000000000000000218e00)
_J0_QP = (-1.13663838898469149931e-02, -1.28252718670509318512e00, -1.95539544257735972385e01,
          -9.32060152123768231369e01, -1.77681167980488050595e02, -1.47077505154951170175e02,
          -5.14105326766599330220e01, -6.05014350600728481186e00)
_J0_QQ = (6.43178256118178023184e01, 8.56430025976980587198e02, 3.88240183605401609683e03,
          7.24046774195652478189e03, 5.93072701187316984827e03, 2.06209331660327847417e03,
          2.42005740240291393179e02)
_J0_RP = (-4.79443220978201773821e09, 1.95617491946556577543e12, -2.49248344360967716204e14,
          9.70862251047306323952e15)
_J0_RQ = (4.99563147152651017219e02, 1.73785401676374683123e05, 4.84409658339962045305e07,
          1.11855537045356834862e10, 2.11277520115489217587e12, 3.10518229857422583814e14,
          3.18121955943204943306e16, 1.71086294081043136091e18)
_Y0_YP = (1.55924367855235737965e04, -1.46639295903971606143e07, 5.43526477051876500413e09,
          -9.82136065717911466409e11, 8.75906394395366999549e13, -3.46628303384729719441e15,
          4.42733268572569800351e16, -1.84950800436986690637e16)
_Y0_YQ = (1.04128353664259848412e03, 6.26107330137134956842e05, 2.68919633393814121987e08,
          8.64002487103935000337e10, 2.02979612750105546709e13, 3.17157752842975028269e15,
          2.50596256172653059228e17)
_J1_PP = (7.62125616208173112003e-04, 7.31397056940917570436e-02, 1.12719608129684925192e00,
          5.11207951146807644818e00, 8.42404590141772420927e00, 5.21451598682361504063e00,
          1.00000000000000000254e00)
_J1_PQ = (5.71323128072548699714e-04, 6.88455908754495404082e-02, 1.10514232634061696926e00,
          5.07386386128601488557e00, 8.39985554327604159757e00, 5.20982848682361821619e00,
          9.99999999999999997461e-01)
_J1_QP = (5.10862594750176621635e-02, 4.98213872951233449420e00, 7.58238284132545283818e01,
          3.66779609360150777800e02, 7.10856304998926107277e02, 5.97489612400613639965e02,
          2.11688757100572135698e02, 2.52070205858023719784e01)
_J1_QQ = (7.42373277035675149943e01, 1.05644886038262816351e03, 4.98641058337653607651e03,
          9.56231892404756170795e03, 7.99704160447350683650e03, 2.82619278517639096600e03,
          3.36093607810698293419e02)
_J1_RP = (-8.99971225705559398224e08, 4.52228297998194034323e11, -7.27494245221818276015e13,
          3.68295732863852883286e15)
_J1_RQ = (6.20836478118054335476e02, 2.56987256757748830383e05, 8.35146791431949253037e07,
          2.21511595479792499675e10, 4.74914122079991414898e12, 7.84369607876235854894e14,
          8.95222336184627338078e16, 5.32278620332680085395e18)
_Y1_YP = (1.26320474790178026440e09, -6.47355876379160291031e11, 1.14509511541823727583e14,
          -8.12770255501325109621e15, 2.02439475713594898196e17, -7.78877196265950026825e17)
_Y1_YQ = (5.94301592346128195359e02, 2.35564092943068577943e05, 7.34811944459721705660e07,
          1.87601316108706159478e10, 3.88231277496238566008e12, 6.20557727146953693363e14,
          6.87141087355300489866e16, 3.97270608116560655612e18)
# fmt: on


def _horner(coefficients: Sequence[float], z: Any) -> Any:
    value: Any = 0.0
    for c in coefficients:
        value = value * z + c
    return value


def _far(x: Any, z: Any, table: tuple[Sequence[float], ...], phase: float) -> Any:
    """The asymptotic form's parts for ``x > 5``: ``P``, ``5/x Q`` and the angle
    ``x - phase``; ``z`` is ``(5 / x)**2`` as torch rounds it for the order."""
    pp, pq, qp, qq = (_horner(c, z) for c in table)
    return pp / pq, 5.0 / x * (qp / qq), x - phase


def _j0_far(x: Any) -> Any:
    return _far(x, 25.0 / (x * x), (_J0_PP, _J0_PQ, _J0_QP, _J0_QQ), _QUARTER_PI)


def _j1_far(x: Any) -> Any:
    return _far(x, 5.0 / x * (5.0 / x), (_J1_PP, _J1_PQ, _J1_QP, _J1_QQ), _THREE_QUARTER_PI)


def bessel_j0(xp: Any, x: Any) -> Any:
    x = xp.abs(x)
    square = x * x
    near = (square - 5.78318596294678452118e00) * (square - 3.04712623436620863991e01)
    near = near * _horner(_J0_RP, square) / _horner(_J0_RQ, square)
    p, q, angle = _j0_far(x)
    far = (p * xp.cos(angle) - q * xp.sin(angle)) * _SQRT_TWO_OVER_PI / xp.sqrt(x)
    out = xp.where(x <= 5.0, near, far)
    return xp.where(x < 0.00001, 1.0 - square / 4.0, out)


def bessel_j1(xp: Any, x: Any) -> Any:
    a = xp.abs(x)
    square = a * a
    near = _horner(_J1_RP, square) / _horner(_J1_RQ, square) * a
    near = near * (square - 1.46819706421238932572e01) * (square - 4.92184563216946036703e01)
    p, q, angle = _j1_far(a)
    far = (p * xp.cos(angle) - q * xp.sin(angle)) * _SQRT_TWO_OVER_PI / xp.sqrt(a)
    out = xp.where(a <= 5.0, near, far)
    return xp.where(x < 0, -out, out)


def bessel_y0(xp: Any, x: Any) -> Any:
    square = x * x
    near = _horner(_Y0_YP, square) / _horner(_Y0_YQ, square)
    near = near + _TWO_OVER_PI * xp.log(x) * bessel_j0(xp, x)
    p, q, angle = _j0_far(x)
    far = (p * xp.sin(angle) + q * xp.cos(angle)) * _SQRT_TWO_OVER_PI / xp.sqrt(x)
    out = xp.where(x <= 5.0, near, far)
    return xp.where(x == 0, xp.full_like(x, -xp.inf), out)


def bessel_y1(xp: Any, x: Any) -> Any:
    square = x * x
    near = x * (_horner(_Y1_YP, square) / _horner(_Y1_YQ, square))
    near = near + _TWO_OVER_PI * (bessel_j1(xp, x) * xp.log(x) - 1.0 / x)
    p, q, angle = _j1_far(x)
    far = (p * xp.sin(angle) + q * xp.cos(angle)) * _SQRT_TWO_OVER_PI / xp.sqrt(x)
    out = xp.where(x <= 5.0, near, far)
    out = xp.where(x < 0, xp.full_like(x, xp.nan), out)
    return xp.where(x == 0, xp.full_like(x, -xp.inf), out)
