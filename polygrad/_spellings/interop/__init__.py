"""polygrad tensors inside other libraries' code.

NumPy's protocols (``np.sin(x)``, ``np.linalg.solve(a, b)``: ``__array_ufunc__`` and
``__array_function__``, in the ``_numpy_*`` modules), torch's ``__torch_function__``
(``torch.sum(x)``, ``_torch_protocol``) and einops' backend registration (``_einops``)
all send the call to polygrad's ops, so the graph is recorded.
"""

__all__: list[str] = []  # nothing to call: importing polygrad installs the protocols
