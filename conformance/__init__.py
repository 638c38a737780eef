"""polygrad's cross-backend conformance suite against torch.autograd.

``python -m conformance`` checks every entry of the op table (``conformance.ops``)
on every installed backend against torch.autograd (values, VJPs, second-order
products, gradient dtypes and shapes), then graph structure (``graph``) and
autograd semantics (``semantics``), and prints an op x backend matrix; see
``conformance/README.md``.
"""
