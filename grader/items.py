"""Item analysis of one assignment: does each graded cell measure what the others measure?

Classical test theory, computed from the score matrix (submissions × graded cells) that
``report`` reads from the gradebook. Definitions (stated on the report page too):

- **facility** of an item: mean score / points; with the shares at 0 and at full points;
- **corrected item–total correlation**: Pearson's r between the item and the total of the
  *other* items (for a 0/full item this is the point-biserial correlation), so an item is
  not correlated with itself;
- **upper–lower index** ``D``: mean item score of the top 27 % of submissions by total
  minus that of the bottom 27 %, over the points (ties in the total broken by student id);
- **reliability**: Cronbach's α = k/(k−1)·(1 − Σ var(item) / var(total)); when every item
  is dichotomous (only 0 or full points observed) it is KR-20, i.e. α of the 0/1 coding;
  standard error of measurement SEM = sd(total) · √(1 − reliability), in points; and the
  reliability recomputed without each item ("if deleted").

scipy gives the correlations; the rest is a line of numpy each. Below ``UNSTABLE_BELOW``
submissions every figure is still shown, with a warning that it is unstable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

EASY = 0.9  # facility above this: too easy
HARD = 0.2  # facility below this: too hard
WEAK = 0.2  # corrected item–total r below this: weak or negative discrimination
ONE_REASON = 0.5  # share of the non-full submissions sharing one failure message
ONE_REASON_MIN = 3  # ... and at least this many of them
GROUP = 0.27  # upper and lower groups of the D index
UNSTABLE_BELOW = 10


@dataclass
class ItemStats:
    """Statistics of one graded cell."""

    item: str
    kind: str
    points: float
    n: int
    facility: float
    share_zero: float
    share_full: float
    dichotomous: bool
    r_corrected: float | None
    d_index: float | None
    if_deleted: float | None
    common_failure: str | None = None
    common_failure_count: int = 0
    flags: list[str] = field(default_factory=list)


@dataclass
class AssignmentStats:
    """Item analysis of one assignment."""

    n: int
    method: str | None  # "KR-20", "Cronbach's alpha" or None (fewer than 2 items, no variance)
    reliability: float | None
    sem: float | None
    unstable: bool
    items: list[ItemStats] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # item -> why it is not analysed

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON, with the thresholds the flags used."""
        out = asdict(self)
        out["thresholds"] = thresholds()
        return out


def thresholds() -> dict[str, float]:
    """The flag thresholds, as the report states them."""
    return {
        "too_easy_facility_above": EASY,
        "too_hard_facility_below": HARD,
        "weak_discrimination_below": WEAK,
        "one_reason_share_above": ONE_REASON,
        "one_reason_min_submissions": ONE_REASON_MIN,
        "unstable_below_submissions": UNSTABLE_BELOW,
    }


def _r(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's r, or None when either side does not vary (r is undefined)."""
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(stats.pearsonr(x, y).statistic)


def alpha(matrix: np.ndarray) -> float | None:
    """Cronbach's α of a submissions × items matrix (None for < 2 items or a constant total)."""
    n, k = matrix.shape
    if k < 2 or n < 2:
        return None
    total_var = matrix.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return float(k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_var))


def upper_lower(item: np.ndarray, totals: np.ndarray, students: list[str]) -> float | None:
    """Mean item score of the top 27 % minus the bottom 27 % (by total), in item units."""
    n = len(totals)
    size = max(1, round(GROUP * n))
    if n < 2 or 2 * size > n:
        return None
    order = sorted(range(n), key=lambda i: (-totals[i], students[i]))
    upper, lower = order[:size], order[-size:]
    return float(item[upper].mean() - item[lower].mean())


def analyse(
    scores: dict[str, dict[str, float | None]],
    points: dict[str, float],
    kinds: dict[str, str] | None = None,
    failures: dict[str, list[str]] | None = None,
) -> AssignmentStats:
    """Item analysis of ``scores`` (student -> item -> score; None = awaiting a grade).

    ``points`` gives every item's maximum; ``failures`` the logged failure message of each
    submission below full points, per item. An item any submission still awaits a grade
    for is left out (``left_out``): its total would mix graded and ungraded work.
    """
    kinds, failures = kinds or {}, failures or {}
    students = sorted(scores)
    left_out = {}
    names = []
    for item in sorted(points):
        waiting = sum(scores[s].get(item, 0.0) is None for s in students)
        if waiting:
            left_out[item] = f"{waiting} submission(s) await a manual grade"
        elif points[item] <= 0:
            left_out[item] = "worth no points"
        else:
            names.append(item)
    n = len(students)
    result = AssignmentStats(n, None, None, None, n < UNSTABLE_BELOW, left_out=left_out)
    if not n or not names:
        return result
    matrix = np.array([[float(scores[s].get(i) or 0.0) for i in names] for s in students])
    maxima = np.array([points[i] for i in names])
    totals = matrix.sum(axis=1)
    dich = [bool(np.isin(matrix[:, j], (0.0, maxima[j])).all()) for j in range(len(names))]
    # KR-20 is alpha of the 0/1 coding; with mixed items alpha is taken on the points.
    coded = matrix / maxima if all(dich) else matrix
    result.method = None
    result.reliability = alpha(coded)
    if result.reliability is not None:
        result.method = "KR-20" if all(dich) else "Cronbach's alpha"
        result.sem = float(totals.std(ddof=1) * np.sqrt(max(0.0, 1 - result.reliability)))
    for j, item in enumerate(names):
        column = matrix[:, j]
        rest = totals - column
        stat = ItemStats(
            item=item,
            kind=kinds.get(item, "code"),
            points=float(maxima[j]),
            n=n,
            facility=float(column.mean() / maxima[j]),
            share_zero=float((column == 0).mean()),
            share_full=float((column >= maxima[j]).mean()),
            dichotomous=dich[j],
            r_corrected=_r(column, rest),
            d_index=None,
            if_deleted=alpha(np.delete(coded, j, axis=1)),
        )
        d = upper_lower(column, totals, students)
        stat.d_index = None if d is None else d / maxima[j]
        _flag(stat, failures.get(item, []))
        result.items.append(stat)
    return result


def _flag(stat: ItemStats, messages: list[str]) -> None:
    if stat.facility > EASY:
        stat.flags.append("too_easy")
    if stat.facility < HARD:
        stat.flags.append("too_hard")
    if stat.r_corrected is not None and stat.r_corrected < 0:
        stat.flags.append("negative_discrimination")
    elif stat.r_corrected is not None and stat.r_corrected < WEAK:
        stat.flags.append("weak_discrimination")
    below_full = round((1 - stat.share_full) * stat.n)
    counted = Counter(" ".join(m.split()) for m in messages if m and m.strip())
    if counted:
        message, count = counted.most_common(1)[0]
        stat.common_failure, stat.common_failure_count = message, count
        if count >= ONE_REASON_MIN and count > ONE_REASON * below_full:
            stat.flags.append("one_reason")
