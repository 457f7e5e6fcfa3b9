"""Small vectorised random draws and deterministic splits shared by the generators."""

from __future__ import annotations

import numpy as np


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method: deterministic)."""
    weights = np.asarray(weights, dtype=float)
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    short = total - out.sum()
    # Ties broken by position (stable sort) so the split never depends on floating-point noise.
    order = np.argsort(-(exact - out), kind="stable")
    out[order[:short]] += 1
    return out


def _choose(rng: np.random.Generator, options, weights, size: int) -> np.ndarray:
    """Indices into ``options`` drawn with ``weights`` (normalised here)."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(options), size=size, p=weights / weights.sum())


def _choose_by_row(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row of a (rows x categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    draw = rng.random(len(probabilities))[:, None]
    return np.minimum((cumulative <= draw).sum(axis=1), probabilities.shape[1] - 1)


def _top_k_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray) -> list[np.ndarray]:
    """For each row, ``k[row]`` distinct categories drawn by weight, in draw order (Gumbel top-k trick).

    ``weights`` is (rows x categories); a zero weight is never drawn. Returns (row, category, rank) arrays.
    """
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-keys, axis=1, kind="stable")
    rank = np.arange(weights.shape[1])[None, :]
    keep = (rank < k[:, None]) & np.isfinite(np.take_along_axis(keys, order, axis=1))
    rows, positions = np.nonzero(keep)
    return [rows, order[rows, positions], positions + 1]


def _lookup(names, values) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int64)
