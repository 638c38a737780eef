"""Where the layers above the core plug into it.

The core (Tensor, Node, views, the engine) imports nothing above itself, yet a few of
its steps run code that lives higher up. Each such step calls an attribute of this
module, which the owning layer sets when it is imported; ``polygrad/__init__`` imports
every layer before any tensor exists, so a callback is set by the time it is called:

- ``recording_namespace(backend)``: polygrad's array-API namespace on ``backend``
  (``array_api._namespace.namespace_for``). Rules run with it record a graph, for
  ``create_graph=True`` and ``node(grad)``.
- ``recorded_copy(empty, source)``: ``empty`` with ``source`` copied in, recorded as
  torch's ``CopyBackwards`` (``ops.fill``): how a graph gradient is stored.
- ``recorded_complex(real, imag)``: ``pg.complex`` (``ops.complex``), recorded, for
  writes through a ``.real`` or ``.imag`` view in a recorded backward.
- ``run_checked(node, run)``: anomaly mode's check around a node's rule
  (``autograd.anomaly_mode``); called only for nodes recorded while it is on.
- ``saved_attribute(node, name)``: torch's names for what a node saved
  (``grad_fn._saved_self``, ``_raw_saved_other``; ``autograd._saved_names``).
- ``forward_ad``: forward AD's module while a dual level is open, None otherwise: the
  core carries tangents through saved values and in-place writes with it.
"""

from __future__ import annotations

from typing import Any

recording_namespace: Any = None
recorded_copy: Any = None
recorded_complex: Any = None
run_checked: Any = None
forward_ad: Any = None
saved_attribute: Any = None
