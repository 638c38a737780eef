"""``pg.Generator`` is a stream of its own (seeded, saved and restored as torch's), honored
by every random draw that takes ``generator=``, the same on every backend; and
``pg.multinomial`` draws in proportion to its weights, with or without replacement."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import on_backend

import polygrad as pg


def _draws(g: pg.Generator) -> list[np.ndarray]:
    x = pg.zeros(4, dtype=pg.float64)
    return [
        t.numpy()
        for t in (
            pg.rand(3, generator=g, dtype=pg.float64),
            pg.randn((2, 2), generator=g, dtype=pg.float64),
            pg.randint(0, 9, (5,), generator=g),
            pg.randperm(6, generator=g),
            pg.normal(0.0, 2.0, (3,), generator=g, dtype=pg.float64),
            x.clone().uniform_(-1, 1, generator=g),
            x.clone().normal_(generator=g),
            pg.bernoulli(pg.full((4,), 0.5, dtype=pg.float64), generator=g),
            pg.multinomial(pg.tensor([0.2, 0.0, 0.8], dtype=pg.float64), 2, generator=g),
        )
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_seed_gives_one_stream_on_every_backend(backend: str) -> None:
    with on_backend("numpy"):
        expected = _draws(pg.Generator().manual_seed(7))
    with on_backend(backend):
        got = _draws(pg.Generator().manual_seed(7))
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)


def test_state_replays_and_streams_are_independent() -> None:
    g = pg.Generator().manual_seed(1)
    assert g.initial_seed() == 1
    pg.rand(2, generator=g)
    state = g.get_state()
    assert state.dtype == pg.uint8
    first = pg.rand(5, generator=g).numpy()
    g.set_state(state)
    np.testing.assert_array_equal(pg.rand(5, generator=g).numpy(), first)
    # drawing from g leaves the global stream where it was
    pg.manual_seed(3)
    alone = pg.rand(4).numpy()
    pg.manual_seed(3)
    pg.rand(4, generator=g)
    np.testing.assert_array_equal(pg.rand(4).numpy(), alone)
    other = pg.Generator()
    assert other.initial_seed() == torch.Generator().initial_seed()
    assert isinstance(g.seed(), int)


def test_bad_generators_and_states_are_refused() -> None:
    with pytest.raises(TypeError, match="generator"):
        pg.rand(2, generator=3)
    with pytest.raises(TypeError, match="ByteTensor"):
        pg.Generator().set_state(pg.zeros(3))
    with pytest.raises(RuntimeError, match="Invalid RNG state"):
        pg.Generator().set_state(pg.zeros(3, dtype=pg.uint8))


@pytest.mark.parametrize("backend", BACKENDS)
def test_multinomial_follows_the_weights(backend: str) -> None:
    weights = np.array([[1.0, 0.0, 3.0, 6.0], [5.0, 5.0, 0.0, 0.0]])
    g = pg.Generator().manual_seed(0)
    with on_backend(backend):
        p = pg.tensor(weights)
        drawn = p.multinomial(4000, replacement=True, generator=g)
        unique = pg.multinomial(p[0], 3, generator=g)
        rows = pg.multinomial(p, 2, generator=g)
    assert drawn.dtype == pg.int64 and tuple(drawn.shape) == (2, 4000)
    for row, w in zip(drawn.numpy(), weights):
        freq = np.bincount(row, minlength=4) / row.size
        np.testing.assert_allclose(freq, w / w.sum(), atol=0.03)
    assert sorted(unique.numpy().tolist()) == [0, 2, 3]  # every nonzero weight, once
    assert sorted(rows.numpy()[1].tolist()) == [0, 1]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lib: lib.multinomial(lib.tensor([1.0, 2.0]), 3), "without replacement"),
        (lambda lib: lib.multinomial(lib.tensor([1.0, -2.0]), 1), "element < 0"),
        (lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1), "sum of probabilities <= 0"),
        (lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1), "prob_dist must be 1 or 2 dim"),
    ],
)
def test_multinomial_errors_as_torch(call, message) -> None:
    for lib in (torch, pg):
        with pytest.raises(RuntimeError, match=message):
            call(lib)
