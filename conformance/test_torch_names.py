"""torch's operator database against polygrad's torch front door, a slice small enough
for ``make test``: the most used names, function and method forms, the first two
samples of each OpInfo, on the backends ``make test`` runs. The whole table (every
in-scope op_db name, every backend) is ``python -m conformance.torch_names``.

A failure listed in ``xfails/<backend>.txt`` as ``torch_names:<op id>:<form>`` (with
the backend limitation behind it) is an expected failure; listed but passing is XPASS.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch")
pytest.importorskip("expecttest")  # torch.testing._internal, where op_db lives, needs it

from conformance.in_pytest import IN_MAKE_TEST, judge, require  # noqa: E402
from conformance.torch_names import _by_name, render  # noqa: E402
from conformance.torch_oracle import Outcome, check_form, opinfos  # noqa: E402

#: Most used names first (cat, mm, clamp, sum(dim), max(x, 1), gather...)
SLICE = """
cat stack mm bmm matmul clamp einsum mul add sub div eq lt where masked_fill gather
scatter scatter_add index_select sum mean prod std var max min argmax amax logsumexp
softmax log_softmax cumsum sort argsort topk diagonal flatten transpose permute reshape
unsqueeze squeeze split chunk narrow roll flip outer addmm lerp tril triu norm equal
repeat expand linalg.det fft.fft cummax median quantile scatter_reduce
linalg.inv_ex linalg.cholesky_ex linalg.lu_factor linalg.lu linalg.solve_triangular
linalg.matrix_rank linalg.pinv matrix_exp linalg.lu_solve lu_unpack linalg.lstsq
lu_solve triangular_solve cholesky_solve cholesky_inverse lu
geqrf ormqr linalg.householder_product linalg.vander linalg.tensorsolve linalg.ldl_factor
cov nonzero unique var_mean tensor_split meshgrid round svd qr cross renorm
igamma frexp gradient cumulative_trapezoid hash_tensor fft.hfftn
index_reduce unique_consecutive combinations unravel_index nonzero_static constant_pad_nd
sum_to_size native_layer_norm native_group_norm grid_sampler_2d
all any argwhere diag_embed diagflat isin logical_and fill bucketize
""".split()
FORMS = ("function", "method")
SAMPLES = 2


def _ids() -> list[str]:
    """The OpInfo ids of the slice (variants included: ``max.reduction_with_dim``...)."""
    table = opinfos()
    return [op_id for op_id, op in table.items() if op.name in SLICE]


@pytest.mark.parametrize("backend", IN_MAKE_TEST)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("op_id", _ids())
def test_torch_name_matches_torch(op_id: str, form: str, backend: str) -> None:
    require(backend)
    op = opinfos()[op_id]
    outcome = check_form(op, form, backend, limit=SAMPLES)
    if outcome.status == "n/a":
        pytest.skip(
            f"torch has no {form} form of {op.name}"
            + (f" ({outcome.detail})" if outcome.detail else "")
        )
    problem = None if outcome.status == "ok" else f"{outcome.status}: {outcome.detail}"
    judge(backend, f"torch_names:{op_id}:{form}", problem)


def test_table_names_known_failures_with_their_reason() -> None:
    """The generated table shows a listed failure as ``xf`` with the list's reason, a
    listed check that passes as ``xpass``, and counts known failures apart from passes."""
    failed = {("bfloat16", "method"): Outcome("error", "TypeError: no bfloat16")}
    failed[("bfloat16", "function")] = Outcome("n/a")
    failed[("bfloat16", "inplace")] = Outcome("n/a")
    text = render({"numpy": _by_name("numpy", failed)}, limit=1)
    assert "| `bfloat16` | -/xf/- |" in text
    assert "- `bfloat16` method on numpy: xfail: NumPy has no bfloat16 dtype" in text
    assert "| numpy | 0 + 0 / 0 | 0 + 1 / 1 | 0 + 0 / 0 |" in text

    passed = {**failed, ("bfloat16", "method"): Outcome("ok")}
    text = render({"numpy": _by_name("numpy", passed)}, limit=1)
    assert "| `bfloat16` | -/xpass/- |" in text
    assert "- `bfloat16` method on numpy: xpass: listed in conformance/xfails/numpy.txt" in text
