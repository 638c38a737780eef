"""The array API standard's namespace over polygrad tensors.

``x.__array_namespace__()`` returns a namespace bound to ``x``'s backend and device
(``_namespace``), so code written against the standard records a graph; the dtype
functions (``can_cast``, ``finfo``, ``result_type``...) live in ``_dtype_functions``.
"""
