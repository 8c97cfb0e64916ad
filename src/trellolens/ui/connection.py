"""Kept for apps written against trellolens 0.1: the connection now lives in ``trellolens``."""

from __future__ import annotations

from trellolens.connection import TrelloConnection

__all__ = ["TrelloConnection"]
