"""torch's mode predicates: ``Tensor.is_inference()``, ``is_inference_mode_enabled()``,
``is_anomaly_enabled()`` and ``is_anomaly_check_nan_enabled()``, against torch."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg


def inference_flags(lib: Any, make: Any) -> list[bool]:
    """``is_inference()`` of tensors made in and out of ``inference_mode`` (and the mode)."""
    leaf = make(requires_grad=True)
    with lib.inference_mode():
        created, product, from_leaf = make(), make() * 2, leaf * 2
        maxima = lib.max(leaf, 0)[0] if lib is torch else pg.max_with_indices(leaf, 0)[0]
        enabled = lib.is_inference_mode_enabled()
    with lib.no_grad():
        under_no_grad = make()
    with lib.inference_mode(False):
        disabled = make()
    after = created + 1
    return [
        enabled,
        lib.is_inference_mode_enabled(),
        created.is_inference(),
        product.is_inference(),
        from_leaf.is_inference(),
        maxima.is_inference(),
        leaf.is_inference(),
        under_no_grad.is_inference(),
        disabled.is_inference(),
        after.is_inference(),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_is_inference_matches_torch(backend):
    expected = inference_flags(
        torch, lambda requires_grad=False: torch.ones(2, requires_grad=requires_grad)
    )
    with pg.backend(backend):
        got = inference_flags(
            pg,
            lambda requires_grad=False: pg.tensor(np.ones(2), requires_grad=requires_grad),
        )
    assert got == expected


@pytest.mark.parametrize("check_nan", [True, False])
def test_anomaly_predicates_match_torch(check_nan):
    states = []
    for lib in (torch, pg):
        seen = [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly(check_nan=check_nan):
                seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        lib.autograd.set_detect_anomaly(True, check_nan=check_nan)
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        lib.autograd.set_detect_anomaly(False)
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        states.append(seen)
    assert states[1] == states[0]
