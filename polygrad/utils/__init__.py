"""Utilities around autograd (``checkpoint``)."""

from .checkpoint import checkpoint

__all__ = ["checkpoint"]
