"""The bootstrap and confidence intervals used by every analysis.

One place for resampling, so every interval in the project is drawn the same way: a
``numpy.random.Generator`` seeded with ``random_state``, rows drawn with replacement,
percentile intervals at ``confidence``; :func:`mean_interval` uses SciPy's BCa where it
can be computed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence

import numpy as np


def generator(random_state: int | np.random.Generator | None) -> np.random.Generator:
    """A numpy Generator from a seed (or the Generator itself)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


def resample_rows(n: int, n_boot: int, random_state: int | np.random.Generator | None = 0) -> np.ndarray:
    """``(n_boot, n)`` row indices, each row a resample of ``0..n-1`` with replacement.

    Examples
    --------
    >>> resample_rows(3, 2, random_state=0).shape
    (2, 3)
    """
    return generator(random_state).integers(0, n, size=(n_boot, n))


def resample_row_chunks(n: int, n_boot: int, random_state: int | np.random.Generator | None = 0,
                        max_cells: int = 4_000_000) -> Iterator[np.ndarray]:
    """:func:`resample_rows` in blocks of at most ``max_cells`` indices (at least one resample).

    The blocks, stacked, are exactly ``resample_rows(n, n_boot, random_state)`` (the
    generator fills row after row), so a statistic computed block by block gives the same
    replicates in bounded memory: 9999 resamples of 34,000 mentions would be 2.7 GB at once.

    Examples
    --------
    >>> blocks = list(resample_row_chunks(3, 5, random_state=0, max_cells=6))
    >>> [b.shape for b in blocks], bool((np.vstack(blocks) == resample_rows(3, 5, random_state=0)).all())
    ([(2, 3), (2, 3), (1, 3)], True)
    """
    rng = generator(random_state)
    per_block = max(1, max_cells // max(n, 1))
    for start in range(0, n_boot, per_block):
        yield rng.integers(0, n, size=(min(per_block, n_boot - start), n))


def percentile_interval(replicates: np.ndarray, confidence: float = 0.95, axis: int = 0):
    """Equal-tailed percentile interval of bootstrap replicates along ``axis``.

    Examples
    --------
    >>> tuple(round(x, 6) for x in percentile_interval(np.arange(101.0), confidence=0.9))
    (5.0, 95.0)
    """
    _check_confidence(confidence)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(replicates, [alpha, 1 - alpha], axis=axis)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence!r}")


def mean_interval(values: Sequence[float], n_boot: int = 9999, random_state: int = 0,
                  confidence: float = 0.95) -> tuple[float, float, str]:
    """Bootstrap confidence interval of the mean: BCa, else percentile.

    Uses :func:`scipy.stats.bootstrap` with a generator seeded by ``random_state``. BCa
    cannot be computed on degenerate data (all values equal, where its acceleration is
    0/0; SciPy then returns NaN): those go straight to the percentile method, as does any
    sample where BCa still returns NaN. Fewer than two values give no interval.

    Returns
    -------
    (low, high, method)
        ``method`` is ``"BCa"``, ``"percentile"`` or ``"none (n<2)"``.

    Examples
    --------
    >>> mean_interval([0.5, 0.5, 0.5])
    (0.5, 0.5, 'percentile')
    >>> mean_interval([0.2])
    (nan, nan, 'none (n<2)')
    """
    from scipy.stats import DegenerateDataWarning, bootstrap

    _check_confidence(confidence)
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        return (math.nan, math.nan, "none (n<2)")
    kwargs = dict(n_resamples=n_boot, confidence_level=confidence, vectorized=True)
    if np.ptp(x) != 0:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ci = bootstrap((x,), np.mean, method="BCa", rng=np.random.default_rng(random_state),
                           **kwargs).confidence_interval
        failed = any(issubclass(w.category, DegenerateDataWarning) for w in caught)
        for w in caught:  # anything but the known BCa failure is passed on, not hidden
            if not (failed and issubclass(w.category, RuntimeWarning)):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if not failed and np.isfinite(ci.low) and np.isfinite(ci.high):
            return (float(ci.low), float(ci.high), "BCa")
    ci = bootstrap((x,), np.mean, method="percentile", rng=np.random.default_rng(random_state),
                   **kwargs).confidence_interval
    return (float(ci.low), float(ci.high), "percentile")


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    r"""Wilson score interval of a proportion ``k / n`` (no continuity correction).

    .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    with :math:`z` the standard normal quantile at ``(1 + confidence) / 2``. Unlike the
    normal (Wald) interval it stays inside [0, 1] and is not of width 0 at ``k = 0`` or
    ``k = n``. The same as SciPy's ``binomtest(k, n).proportion_ci(method="wilson")``.
    ``n = 0`` gives ``(nan, nan)``.

    Examples
    --------
    >>> tuple(round(x, 4) for x in wilson_interval(18, 34))
    (0.3674, 0.6855)
    >>> wilson_interval(0, 0)
    (nan, nan)
    """
    from scipy.special import ndtri  # norm.ppf itself

    _check_confidence(confidence)
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k!r}, n={n!r}")
    if n == 0:
        return (math.nan, math.nan)
    z = float(ndtri((1 + confidence) / 2))
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return (max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom))
