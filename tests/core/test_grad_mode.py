"""Grad modes against torch: no_grad, enable_grad, set_grad_enabled (call, context
manager, decorator, repr, type check), inference_mode, is_grad_enabled, decorators on
functions and generators, and thread-locality."""

from __future__ import annotations

import threading

import pytest
from conftest import BACKENDS
from oracle import raised, same_as_torch, torch

import polygrad as pg


@pytest.fixture(params=BACKENDS)
def backend(request):
    yield request.param
    pg.set_grad_enabled(True)


def test_no_grad_block(backend):
    def scenario(L):
        w = L.ones(2, requires_grad=True)
        with L.no_grad():
            made = L.ones(2, requires_grad=True)
            y = w * 2
            inside = L.is_grad_enabled()
        return [
            inside,
            L.is_grad_enabled(),
            y,
            y.grad_fn,
            y.is_leaf,
            made.requires_grad,
            raised(lambda: y.sum().backward()),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[:2] == [False, True] and seen[5] is True


def test_decorators_keep_names_and_handle_generators(backend):
    def scenario(L):
        @L.no_grad()
        def f(x):
            """doc"""
            return x * 2

        @L.no_grad
        def g(x):
            return x * 2

        @L.enable_grad()
        def h(x):
            return x * 2

        @L.set_grad_enabled(False)
        def k(x):
            return x * 2

        @L.no_grad()
        def gen(x):
            for _ in range(2):
                yield L.is_grad_enabled(), (x * 2).requires_grad

        x = L.ones(2, requires_grad=True)
        with L.no_grad():
            inside_enable = h(x).requires_grad
        return [
            f.__name__,
            f.__doc__,
            f(x).requires_grad,
            g(x).requires_grad,
            inside_enable,
            k(x).requires_grad,
            L.is_grad_enabled(),
            list(gen(x)),
            L.is_grad_enabled(),
        ]

    assert same_as_torch(scenario, backend) == [
        "f",
        "doc",
        False,
        False,
        True,
        False,
        True,
        [(False, False), (False, False)],
        True,
    ]


def test_set_grad_enabled_forms(backend):
    def scenario(L):
        seen = []
        L.set_grad_enabled(False)  # a plain call switches at once
        seen.append(L.is_grad_enabled())
        switch = L.set_grad_enabled(True)
        seen.append(L.is_grad_enabled())
        with L.set_grad_enabled(False):
            seen.append(L.is_grad_enabled())
        seen.append(L.is_grad_enabled())  # restored on exit
        with L.no_grad():
            with L.set_grad_enabled(True):
                seen.append(L.is_grad_enabled())
            seen.append(L.is_grad_enabled())
        seen.append(raised(lambda: L.set_grad_enabled(1)))
        return [seen, repr(switch).rpartition(".")[2]]

    seen = same_as_torch(scenario, backend)
    assert seen[0][:6] == [False, True, False, True, True, False]
    assert seen[0][6] == (
        "TypeError",
        "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not int",
    )
    assert seen[1] == "set_grad_enabled(mode=True)"


def test_set_grad_enabled_repr():
    assert repr(pg.set_grad_enabled(False)) == "polygrad.set_grad_enabled(mode=False)"
    pg.set_grad_enabled(True)
    assert (
        repr(torch.set_grad_enabled(True)) == "torch.autograd.grad_mode.set_grad_enabled(mode=True)"
    )


def test_enable_grad_restores_a_global_false(backend):
    def scenario(L):
        L.set_grad_enabled(False)
        try:
            with L.enable_grad():
                inside = L.is_grad_enabled()
            after = L.is_grad_enabled()
        finally:
            L.set_grad_enabled(True)
        return [inside, after]

    assert same_as_torch(scenario, backend) == [True, False]


def test_one_no_grad_instance_reused_nested(backend):
    def scenario(L):
        ng = L.no_grad()
        with ng:
            with ng:
                pass
        state = L.is_grad_enabled()
        L.set_grad_enabled(True)
        return [state]

    assert same_as_torch(scenario, backend) == [False]  # torch's pitfall, reproduced


def test_inference_mode(backend):
    def scenario(L):
        w = L.ones(2, requires_grad=True)
        with L.inference_mode():
            y = w * 2
            inside = (L.is_grad_enabled(), L.is_inference_mode_enabled())
        with L.inference_mode(False):
            z = w * 2
        return [inside, y.requires_grad, z.requires_grad, L.is_inference_mode_enabled()]

    assert same_as_torch(scenario, backend) == [(False, True), False, True, False]


def test_grad_mode_is_thread_local(backend):
    def scenario(L):
        seen = []
        with L.no_grad():
            thread = threading.Thread(target=lambda: seen.append(L.is_grad_enabled()))
            thread.start()
            thread.join()
            seen.append(L.is_grad_enabled())
        return seen

    assert same_as_torch(scenario, backend) == [True, False]
