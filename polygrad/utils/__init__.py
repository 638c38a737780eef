"""Utilities around autograd: ``polygrad.utils.checkpoint``, torch's module of the
same name (``checkpoint``, ``checkpoint_sequential``)."""

from . import checkpoint

__all__ = ["checkpoint"]
