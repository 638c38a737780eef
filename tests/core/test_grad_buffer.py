"""Gradient buffers (polygrad/_core/_grad_buffer.py): sums of the gradients a node
receives, in place only when reference counts prove nothing else holds the buffer."""

from __future__ import annotations

import numpy as np
import pytest

import polygrad as pg
from polygrad._core import _grad_buffer
from polygrad._core._grad_buffer import COUNTS_EVERY_REFERENCE, add_gradient, held_only_by

needs_counts = pytest.mark.skipif(
    not COUNTS_EVERY_REFERENCE, reason="reference counts cannot prove sole ownership here"
)


@needs_counts
def test_held_only_by_counts_every_holder():
    value = np.zeros(3)
    assert held_only_by(value, 1)  # this frame's local
    alias = value
    assert not held_only_by(value, 1)
    assert held_only_by(value, 2)
    holder = {"key": value}
    del alias
    assert held_only_by(value, 2)  # the local and the dict entry
    del holder


def test_held_only_by_never_claims_what_counts_cannot_prove(monkeypatch):
    monkeypatch.setattr(_grad_buffer, "COUNTS_EVERY_REFERENCE", False)
    assert not _grad_buffer.held_only_by(np.zeros(3), 1)


def _node(outputs: int = 1):
    x = pg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    node = (
        (x * 2).grad_fn
        if outputs == 1
        else pg.linalg.eigh(pg.eye(2, requires_grad=True)).eigenvalues.grad_fn
    )
    return node


@needs_counts
def test_a_buffer_only_the_dict_holds_is_summed_in_place():
    node = _node()
    buffers: dict = {}
    add_gradient(buffers, node, 0, np.ones(3), in_place=True)
    first = buffers[node]
    first_id = id(first)
    del first
    add_gradient(buffers, node, 0, np.full(3, 2.0), in_place=True)
    assert id(buffers[node]) == first_id
    np.testing.assert_array_equal(buffers[node], np.full(3, 3.0))


def test_a_buffer_someone_else_holds_is_never_overwritten():
    node = _node()
    seed = np.ones(3)
    buffers: dict = {}
    add_gradient(buffers, node, 0, seed, in_place=True)  # the caller still holds seed
    add_gradient(buffers, node, 0, np.full(3, 2.0), in_place=True)
    np.testing.assert_array_equal(seed, np.ones(3))
    np.testing.assert_array_equal(buffers[node], np.full(3, 3.0))


def test_without_in_place_every_sum_is_a_new_array():
    node = _node()
    buffers: dict = {}
    add_gradient(buffers, node, 0, np.ones(3), in_place=False)
    first_id = id(buffers[node])
    add_gradient(buffers, node, 0, np.ones(3), in_place=False)
    assert id(buffers[node]) != first_id
    np.testing.assert_array_equal(buffers[node], np.full(3, 2.0))


def test_multi_output_nodes_keep_one_slot_per_output():
    node = _node(outputs=2)
    buffers: dict = {}
    add_gradient(buffers, node, 1, np.ones(2), in_place=True)
    add_gradient(buffers, node, 1, np.ones(2), in_place=True)
    assert buffers[node][0] is None
    np.testing.assert_array_equal(buffers[node][1], np.full(2, 2.0))
