"""Op table: the ``fft`` extension (real inputs, complex outputs: complex cotangents,
torch's conjugate-Wirtinger convention) and ``polygrad.special`` against
``torch.special``."""

from __future__ import annotations

from typing import Any

from ..samples import Maker, Sample, binary, fixed, unary
from ._entry import extension, function


def _torch_fft(name: str) -> Any:
    def call(x: Any, n: Any = None, axis: Any = -1, norm: str = "backward", **kw: Any) -> Any:
        import torch

        fn = getattr(torch.fft, name)
        if name.endswith("n"):  # fftn-style: s= and axes=
            return fn(x, s=kw.get("s"), dim=kw.get("axes"), norm=norm)
        return fn(x, n=n, dim=axis, norm=norm)

    return call


def _fft_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m(8),), label="1-d"),
        Sample((m(3, 6),), {"axis": 0}, label="axis=0"),
        Sample((m(3, 5),), {"n": 8, "norm": "ortho"}, label="n=8 padded, ortho"),
        Sample((m(3, 6),), {"n": 4, "norm": "forward"}, label="n=4 cropped, forward"),
    ]


def _fftn_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m(4, 6),), label="2-d"),
        Sample((m(2, 4, 6),), {"axes": (0, 2), "norm": "ortho"}, label="axes=(0,2) ortho"),
    ]


for _name in ("fft", "ifft", "rfft", "ihfft"):
    function(f"fft.{_name}", _torch_fft(_name), _fft_samples)
for _name in ("fftn", "ifftn", "rfftn"):
    function(f"fft.{_name}", _torch_fft(_name), _fftn_samples)


def _c2r(name: str, lib: str, forward: str = "rfft") -> Any:
    """``irfft``/``hfft`` take complex input: build it from a real leaf by ``rfft``."""

    def call(x: Any, **kw: Any) -> Any:
        mod = __import__(lib)
        fft = mod.fft if lib == "torch" else extension(mod, "fft")
        return getattr(fft, name)(getattr(fft, forward)(x), **kw)

    return call


for _name in ("irfft", "hfft"):
    function(
        f"fft.{_name}",
        _c2r(_name, "torch"),
        fixed(
            lambda m: Sample((m(8),), label="via rfft"),
            lambda m: Sample((m(3, 8),), {"n": 8}, label="n=8"),
        ),
        pg=_c2r(_name, "polygrad"),
    )
function(
    "fft.irfftn",
    _c2r("irfftn", "torch", "rfftn"),
    fixed(lambda m: Sample((m(4, 6),), label="via rfftn")),
    pg=_c2r("irfftn", "polygrad", "rfftn"),
)


def _torch_shift(name: str) -> Any:
    def call(x: Any, axes: Any = None) -> Any:
        import torch

        return getattr(torch.fft, name)(x, dim=axes)

    return call


for _name in ("fftshift", "ifftshift"):
    function(
        f"fft.{_name}",
        _torch_shift(_name),
        fixed(
            lambda m: Sample((m(5),), label="odd length"),
            lambda m: Sample((m(4, 6),), {"axes": 1}, label="axes=1"),
        ),
    )

#: polygrad.special name -> (torch.special name, domain)
SPECIAL_UNARY = {
    "erf": ("erf", "real"),
    "erfc": ("erfc", "real"),
    "expit": ("expit", "real"),
    "logit": ("logit", "open01"),
    "gammaln": ("gammaln", "positive"),
    "digamma": ("digamma", "positive"),
    "ndtr": ("ndtr", "real"),
    "log_ndtr": ("log_ndtr", "real"),
    "ndtri": ("ndtri", "open01"),
    "entr": ("entr", "positive"),
    "erfinv": ("erfinv", "unit"),
    "erfcx": ("erfcx", "real"),
    "psi": ("psi", "positive"),
    "i0": ("i0", "real"),
    "i0e": ("i0e", "real"),
    "i1": ("i1", "real"),
    "i1e": ("i1e", "real"),
}

for _name, (_torch_name, _domain) in SPECIAL_UNARY.items():
    function(f"special.{_name}", f"special.{_torch_name}", unary(_domain))

function("special.xlogy", "special.xlogy", binary("real", "positive"))
function("special.xlog1py", "special.xlog1py", binary("real", "unit"))
function(
    "special.polygamma",
    "special.polygamma",
    fixed(
        lambda m: Sample((1, m(3, 4, domain="positive")), label="n=1"),
        lambda m: Sample((2, m(5, domain="positive")), label="n=2"),
        lambda m: Sample((0, m(domain="positive")), label="n=0, 0-d"),
    ),
)
for _name in ("gammainc", "gammaincc"):  # torch differentiates in the second argument only
    function(
        f"special.{_name}",
        f"special.{_name}",
        fixed(
            lambda m: Sample((m(3, 4, domain="positive"), m(3, 4, domain="positive")), grad=(1,)),
            lambda m: Sample(
                (m(3, 1, domain="positive"), m(1, 4, domain="positive")),
                label="broadcast",
                grad=(1,),
            ),
            lambda m: Sample(
                (m(domain="positive"), m(5, domain="positive")), label="0-d", grad=(1,)
            ),
        ),
    )
