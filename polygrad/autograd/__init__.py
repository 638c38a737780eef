"""torch.autograd's API on polygrad: ``backward``, ``grad``, ``Function``, grad modes."""

from .._core._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from .._core._node import Node
from . import _saved_names, anomaly_mode, forward_ad, functional, graph  # noqa: E402 - forward-mode AD, torch.autograd.functional
from ._entry import backward, grad
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .function import Function, FunctionCtx, once_differentiable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402


def Variable(tensor, requires_grad=False, volatile=False):  # noqa: N802 - torch's legacy name
    """Legacy wrapper: returns the tensor itself (``volatile`` has no effect)."""
    import warnings

    if volatile:
        warnings.warn(
            "volatile was removed and now has no effect. Use `with pg.no_grad():` instead.",
            UserWarning,
            stacklevel=2,
        )
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


__all__ = [
    "Function",
    "FunctionCtx",
    "Node",
    "Variable",
    "anomaly_mode",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "graph",
    "set_detect_anomaly",
    "inference_mode",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
    "forward_ad",
    "functional",
    "GradcheckError",
    "gradcheck",
    "gradgradcheck",
]
