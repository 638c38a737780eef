"""A typical user program, type-checked by ``tests/test_typing.py`` with ``mypy --strict``
and ``--disallow-any-expr``: every value it touches has a polygrad type, so an IDE's
completion goes on after each call."""

import polygrad as pg

pg.manual_seed(0)
X = pg.randn(32, 3)
w_true = pg.tensor([1.0, -2.0, 0.5])
y = X @ w_true + 0.1 * pg.randn(32)

w = pg.zeros(3, requires_grad=True)
optimizer = pg.optim.SGD([w], lr=0.1)
for _ in range(20):
    optimizer.zero_grad()
    loss = ((X @ w - y) ** 2).mean()
    loss.backward()
    optimizer.step()

gradient: pg.Tensor | None = w.grad
assert gradient is not None
with pg.no_grad():
    w -= 0.01 * gradient
    prediction = (X @ w).sum(dim=0, keepdim=True)


def squared_error(v: pg.Tensor) -> pg.Tensor:
    return ((X @ v - y) ** 2).sum()


grad_at_w = pg.grad(squared_error)(w.detach())
values, indices = X.max(dim=1)
first_row: pg.Tensor = X[0].reshape(1, 3).exp().clamp(0, 1)
rows: int = X.shape[0]
print(loss.item(), prediction.shape, grad_at_w.norm(), values.mean(), indices.dtype, rows)
print(first_row.T.shape)

# torch's functions, dtypes and named-tuple results, made when polygrad loads: typed too
joined = pg.cat([X, X], dim=0).to(pg.float32)
column_sums: pg.Tensor = pg.sum(joined, dim=0)
sorted_values: pg.Tensor = X[:, 0].sort().values
largest: pg.Tensor = pg.topk(X[:, 0], 3).indices
spectrum: pg.Tensor = pg.fft.fft(X, dim=0)
A = X.T @ X
eigenvalues, eigenvectors = pg.linalg.eigh(A, UPLO="U")
smallest, biggest = pg.aminmax(X)
X.clone().cos_()
print(column_sums.shape, sorted_values[0], largest, spectrum.dtype, eigenvalues, smallest)
print(eigenvectors.shape, biggest, pg.float64, pg.kthvalue(X[:, 0], 2).values)
