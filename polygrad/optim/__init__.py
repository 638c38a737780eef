"""Optimizers with torch.optim's API that update polygrad tensors on any backend.

``opt = pg.optim.SGD(params, lr=0.1, momentum=0.9)``; then per batch
``opt.zero_grad(); loss.backward(); opt.step()``. ``Adam`` and ``AdamW`` likewise.
"""

from .adam import Adam, AdamW
from .optimizer import Optimizer, ParamsT, required
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "ParamsT", "required"]
