"""The random-number helpers every table uses: one seed, one stream per table."""

from __future__ import annotations

import zlib

import numpy as np

Z90 = 1.2815515655446004  # standard normal 90th percentile


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent generator for one named part of the city, derived from the one seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(stream.encode("utf-8"))]))


def sigma_for_p90_ratio(ratio: float | np.ndarray) -> float | np.ndarray:
    """Log-normal sigma whose 90th percentile is `ratio` times the median."""
    return np.log(ratio) / Z90


def lognormal(
    rng: np.random.Generator, median: float | np.ndarray, p90_ratio: float | np.ndarray, size: int | None = None
) -> np.ndarray:
    """Right-skewed durations/amounts: log-normal with a given median and P90/median ratio.

    Without `size`, one draw per element of `median` (a scalar median gives a single draw).
    """
    sigma = sigma_for_p90_ratio(np.asarray(p90_ratio, dtype=float))
    if size is None:
        size = np.broadcast(np.asarray(median), sigma).shape
    return np.asarray(median, dtype=float) * np.exp(sigma * rng.standard_normal(size))


def logistic(x: float | np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-x)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of a (rows x categories) probability matrix."""
    probs = np.atleast_2d(np.asarray(probs, dtype=float))
    cumulative = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(probs.shape[0])[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), probs.shape[1] - 1)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
