"""The core layer: what a tensor is and how its graph runs backward.

The Tensor's state (``_tensor``), backend choice (``_backend``), dtypes, ``Size``,
views and version counters (``_views``, ``_view_steps``), grad modes, the graph's
``Node``, recording an op's output (``_record``), the backward engine (``_engine``)
and hooks. It imports no op and no array library; the layers above it (ops, Tensor
methods, forward AD, anomaly mode) plug into it through the callbacks it exposes.
"""
