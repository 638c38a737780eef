"""Layer 3: Tensor's operators and torch-style methods, each bound to an op.

``x * y``, ``x.sum(dim=1)``, ``x.reshape(2, 3)``, ``x.exp_()``, ``x.numpy()``: every
method here is a thin spelling over ``polygrad.ops``, grouped by concept (metadata,
operators and arithmetic, reductions, shape methods and indexing, elementwise math,
conversions).
"""
