"""Association statistics over 2×2 contingency tables, vectorized with numpy.

The one definition of the numbers collocates and keyness rank by, so that
both read the same way as CQPweb and AntConc.  Every function takes the
four cells of one table - or arrays of them, one table per word - as

    ============  ===================  ====================
                  the word             every other word
    ============  ===================  ====================
    part A        O11                  O12
    part B        O21                  O22
    ============  ===================  ====================

For collocates, A is the tokens in the windows around the query's
occurrences and B every other token of the reference; for keyness, A and
B are the two compared sets of reports.  ``cells`` builds the table from
(frequency, tokens) of each part.  Counts may be ints or floats; results
are float64 arrays (numpy scalars for scalar input).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

# Hardie's log ratio replaces a zero frequency by this, so a word found on
# one side only gets a finite (and conservative) ratio.
ZERO_ADJUSTMENT = 0.5


def cells(freq_a: ArrayLike, tokens_a: ArrayLike, freq_b: ArrayLike,
          tokens_b: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(O11, O12, O21, O22) from a word's frequency in A and in B and the
    tokens of each: O12 and O22 are the other words of each part."""
    fa, ta, fb, tb = (np.asarray(x, dtype=np.float64) for x in (freq_a, tokens_a, freq_b, tokens_b))
    return fa, ta - fa, fb, tb - fb


def expected(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike,
             o22: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(E11, E12, E21, E22): each cell's row total × column total / N, the
    counts were the word spread over A and B in proportion to their sizes."""
    o11, o12, o21, o22 = (np.asarray(x, dtype=np.float64) for x in (o11, o12, o21, o22))
    n = o11 + o12 + o21 + o22
    with np.errstate(divide="ignore", invalid="ignore"):
        row_a, row_b = (o11 + o12) / n, (o21 + o22) / n
        word, other = o11 + o21, o12 + o22
        return tuple(np.nan_to_num(e) for e in (row_a * word, row_a * other, row_b * word, row_b * other))


def _o_ln_o_over_e(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """O·ln(O/E), taking 0·ln 0 as 0 (a cell with O > 0 always has E > 0)."""
    positive = o > 0
    return np.where(positive, o * np.log(np.where(positive, o, 1.0) / np.where(positive, e, 1.0)), 0.0)


def log_likelihood(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> np.ndarray:
    """Dunning's log-likelihood G² = 2 Σ O·ln(O/E) over the four cells (as
    CQPweb and AntConc compute it).  It measures how surprising the table
    is either way: compare O11 with E11 for the direction."""
    observed = [np.asarray(x, dtype=np.float64) for x in (o11, o12, o21, o22)]
    total = sum(_o_ln_o_over_e(o, e) for o, e in zip(observed, expected(*observed), strict=True))
    return np.maximum(2.0 * total, 0.0)  # rounding can leave -1e-12 where the table is exactly expected


def mutual_information(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> np.ndarray:
    """Pointwise mutual information log2(O11 / E11): how many times more
    often than chance the word is in A, in bits (-inf when O11 is 0).  It
    favours rare words, which is why lists rank by G² and show MI beside it."""
    o11 = np.asarray(o11, dtype=np.float64)
    e11 = expected(o11, o12, o21, o22)[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o11 > 0, np.log2(np.where(o11 > 0, o11, 1.0) / np.where(e11 > 0, e11, 1.0)), -np.inf)


def log_ratio(freq_a: ArrayLike, tokens_a: ArrayLike, freq_b: ArrayLike, tokens_b: ArrayLike) -> np.ndarray:
    """Hardie's log ratio: log2 of the word's relative frequency in A over
    that in B (1 = twice as frequent per token; the effect size beside G²'s
    significance).  A zero frequency on one side counts as ZERO_ADJUSTMENT
    (0.5), as CQPweb does; a word absent from both sides gets 0."""
    fa, ta, fb, tb = (np.asarray(x, dtype=np.float64) for x in (freq_a, tokens_a, freq_b, tokens_b))
    absent = (fa == 0) & (fb == 0)
    fa, fb = np.where(fa == 0, ZERO_ADJUSTMENT, fa), np.where(fb == 0, ZERO_ADJUSTMENT, fb)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log2((fa / np.where(ta > 0, ta, 1.0)) / (fb / np.where(tb > 0, tb, 1.0)))
    return np.where(absent, 0.0, ratio)
