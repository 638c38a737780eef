"""examples/digits.py: the MLP reaches 95% test accuracy and trains exactly like torch."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")
pytest.importorskip("tqdm")

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "digits.py"


@pytest.fixture(scope="module")
def digits():
    spec = importlib.util.spec_from_file_location("digits_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_trains_to_95_percent_with_progress_bar_and_plot(digits, tmp_path, capsys):
    plot = tmp_path / "loss.png"
    (history,) = digits.main(["--backend", "numpy", "--epochs", "8", "--plot", str(plot)])
    assert history.test_accuracy[-1] >= 0.95
    assert history.loss[-1] < history.loss[0] / 5
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "8/8" in out and "epoch" in out and "acc=" in out and "loss=" in out
    assert f"test accuracy {history.test_accuracy[-1]:.1%}" in out


def test_same_training_as_torch_autograd_and_optim(digits):
    """Two epochs in float64 from the same start and batches: the same losses and weights."""
    torch = pytest.importorskip("torch")
    data = digits.load_digits(0)
    history, params = digits.train("numpy", data, epochs=2, dtype="float64", progress=False)

    sizes = (data.x_train.shape[1], 64, 10)
    tparams = [torch.tensor(p, requires_grad=True) for p in digits.init_params(sizes, 0)]
    optimizer = torch.optim.Adam(tparams, lr=1e-2)
    one_hot = np.eye(10)[data.y_train]
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(2):
        order, total = rng.permutation(len(data.x_train)), 0.0
        for begin in range(0, len(order), 64):
            batch = order[begin : begin + 64]
            optimizer.zero_grad()
            loss = digits.cross_entropy(
                digits.forward(tparams, torch.tensor(data.x_train[batch])),
                torch.tensor(one_hot[batch]),
            )
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(order))
    np.testing.assert_allclose(history.loss, losses, rtol=1e-9)
    for p, t in zip(params, tparams):
        np.testing.assert_allclose(p.detach().numpy(), t.detach().numpy(), rtol=1e-8, atol=1e-10)


def test_default_plot_goes_next_to_the_script_not_over_the_readme_picture(digits):
    readme_picture = EXAMPLE.with_name("digits_loss.png")
    assert pathlib.Path(digits.DEFAULT_PLOT) == EXAMPLE.with_name("digits_loss_run.png")
    assert pathlib.Path(digits.DEFAULT_PLOT) != readme_picture


def test_runs_from_another_folder_and_leaves_the_readme_picture(tmp_path):
    import os
    import subprocess

    readme_picture = EXAMPLE.with_name("digits_loss.png").read_bytes()
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--epochs", "1", "--no-progress"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(EXAMPLE.parents[1])},  # this checkout's polygrad
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = EXAMPLE.with_name("digits_loss_run.png")  # git-ignored
    assert f"loss curve written to {written}" in done.stdout
    assert EXAMPLE.with_name("digits_loss.png").read_bytes() == readme_picture
