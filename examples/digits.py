"""Train a small MLP on scikit-learn's handwritten digits with polygrad, on any backend.

    python examples/digits.py                      # NumPy
    python examples/digits.py --backend torch      # the same code on PyTorch
    python examples/digits.py --backend all        # every installed backend, one curve each

The 8x8 digit images ship with scikit-learn (no download). The model is a
64-64-10 multilayer perceptron with a tanh hidden layer, trained with cross-entropy
and ``pg.optim.Adam``; a tqdm bar shows epoch, loss and test accuracy, and the loss
curves go to a PNG (``--plot PATH``; by default ``digits_loss_run.png`` next to this
script). Every backend starts from the same weights and batches and follows the same
curve; Dask is by far the slowest here (each of the ~700 small steps is a scheduled task
graph: minutes, not seconds). Its extra libraries: ``pip install 'polygrad[examples]'``.

On a small or busy machine, torch's thread pool makes these small matrix products slower
than NumPy's (20 s against 3 s on 2 busy cores): give torch one thread with
``--threads 1`` (``torch.set_num_threads(1)``), or ``OMP_NUM_THREADS=1`` before starting.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import polygrad as pg

#: Next to this script, wherever it is run from; never the picture the README shows
#: (examples/digits_loss.png), which only an explicit ``--plot`` overwrites.
DEFAULT_PLOT = str(pathlib.Path(__file__).resolve().with_name("digits_loss_run.png"))
EPOCHS = 30  # the training loop's length (benchmarks/training.py times this loop)
BACKENDS = ("numpy", "torch", "jax", "array_api_strict", "dask")


@dataclass
class Digits:
    """The digits split into train and test sets, as NumPy arrays."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@dataclass
class History:
    """What one training run measured, per epoch."""

    backend: str
    loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0


def load_digits(seed: int = 0) -> Digits:
    """1797 8x8 images scaled to [0, 1], 80% for training (stratified)."""
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    images, labels = sklearn_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        images / 16.0, labels, test_size=0.2, random_state=seed, stratify=labels
    )
    return Digits(x_train, y_train, x_test, y_test)


def init_params(sizes: tuple[int, ...], seed: int) -> list[np.ndarray]:
    """Weights and biases for layers of ``sizes``, drawn once in NumPy so every backend
    starts from the same values (scaled like torch's default Linear init)."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        params.append(rng.uniform(-bound, bound, (fan_out,)))
    return params


def forward(params: list[Any], x: Any) -> Any:
    """Logits of the MLP: tanh hidden layers, linear output."""
    *hidden, w_out, b_out = params
    for w, b in zip(hidden[0::2], hidden[1::2]):
        x = (x @ w + b).tanh()
    return x @ w_out + b_out


def cross_entropy(logits: Any, one_hot: Any) -> Any:
    """Mean negative log-likelihood of the labels (``one_hot``) under softmax(logits)."""
    return -(logits.log_softmax(dim=1) * one_hot).sum(dim=1).mean()


def accuracy(params: list[Any], x: Any, labels: np.ndarray) -> float:
    with pg.no_grad():
        logits = forward(params, x)
    return float((np.argmax(logits.numpy(), axis=1) == labels).mean())


def train(
    backend: str,
    data: Digits,
    *,
    epochs: int = EPOCHS,
    batch_size: int = 64,
    lr: float = 1e-2,
    hidden: int = 64,
    seed: int = 0,
    dtype: str = "float32",
    progress: bool = True,
) -> tuple[History, list[Any]]:
    """Train on ``backend``; returns the per-epoch history and the trained parameters."""

    def to_backend(array: np.ndarray) -> Any:
        return pg.tensor(array, dtype=dtype, backend=backend)

    sizes = (data.x_train.shape[1], hidden, 10)
    params = [to_backend(p).requires_grad_() for p in init_params(sizes, seed)]
    optimizer = pg.optim.Adam(params, lr=lr)
    one_hot = np.eye(10)[data.y_train]
    x_test = to_backend(data.x_test)
    order_rng = np.random.default_rng(seed)
    history = History(backend)
    start = time.perf_counter()
    bar = _progress(range(epochs), backend, progress)
    for _ in bar:
        order = order_rng.permutation(len(data.x_train))
        total, count = 0.0, 0
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            optimizer.zero_grad()
            loss = cross_entropy(
                forward(params, to_backend(data.x_train[batch])), to_backend(one_hot[batch])
            )
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
            count += len(batch)
        history.loss.append(total / count)
        history.test_accuracy.append(accuracy(params, x_test, data.y_test))
        if progress:
            bar.set_postfix(loss=f"{history.loss[-1]:.4f}", acc=f"{history.test_accuracy[-1]:.3f}")
    history.seconds = time.perf_counter() - start
    return history, params


def _progress(epochs: range, backend: str, enabled: bool) -> Any:
    if not enabled:
        return epochs
    from tqdm import tqdm

    return tqdm(epochs, desc=f"{backend:>16}", unit="epoch", file=sys.stdout)


def plot(histories: list[History], path: str) -> None:
    """Training loss per epoch (log scale), one line per backend, written to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    styles = ["-", "--", "-.", ":", (0, (5, 5))]
    markers = "os^Dv"
    for i, h in enumerate(histories):  # the curves coincide: vary style so each shows
        epochs = np.arange(1, len(h.loss) + 1)
        ax.plot(
            epochs,
            h.loss,
            linestyle=styles[i % 5],
            marker=markers[i % 5],
            markersize=7 - i,
            fillstyle="none",
            linewidth=1.5,
            label=f"{h.backend}: test accuracy {h.test_accuracy[-1]:.1%}",
        )
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cross-entropy")
    ax.set_title("polygrad MLP on scikit-learn digits")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def installed_backends() -> list[str]:
    available = pg.backends.available()
    return [name for name in BACKENDS if name in available]


def main(argv: list[str] | None = None) -> list[History]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend",
        default="numpy",
        help=f"one of {', '.join(BACKENDS)}, or 'all' installed (default numpy)",
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    parser.add_argument("--plot", default=DEFAULT_PLOT, help="PNG path ('' to skip)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--threads", type=int, default=0, help="torch's CPU threads (default: torch's choice)"
    )
    args = parser.parse_args(argv)
    if args.threads:  # only torch's pool: NumPy's BLAS reads OMP_NUM_THREADS at start
        import torch

        torch.set_num_threads(args.threads)

    backends = installed_backends() if args.backend == "all" else [args.backend]
    data = load_digits(args.seed)
    histories = []
    for backend in backends:
        history, _ = train(
            backend,
            data,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            hidden=args.hidden,
            seed=args.seed,
            dtype=args.dtype,
            progress=not args.no_progress,
        )
        histories.append(history)
        print(
            f"{backend}: final loss {history.loss[-1]:.4f}, test accuracy "
            f"{history.test_accuracy[-1]:.1%}, {history.seconds:.1f} s"
        )
    if args.plot:
        plot(histories, args.plot)
        print(f"loss curve written to {args.plot}")
    return histories


if __name__ == "__main__":
    main()
