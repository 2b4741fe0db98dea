"""Item analysis against a cohort computed by hand from the definitions, and against scipy.

The fixture cohort (SYNTHETIC): six submissions, four items, A, B, D worth 1 point and
all-or-nothing, C worth 2 points with partial credit (a written answer).

    student  A  B  C  D | total
    s1       1  1  2  0 |  4
    s2       1  1  2  1 |  5
    s3       1  1  1  0 |  3
    s4       1  0  1  1 |  3
    s5       0  1  0  1 |  2
    s6       0  0  0  1 |  1

Hand derivations (sums of squares SS and cross-products SP about the means):
- facility: A 4/6, B 4/6, C (2+2+1+1)/6/2 = 1/2, D 4/6; zero shares all 2/6; full shares
  A, B, D 4/6, C 2/6.
- corrected r of A: rest = B+C+D = 3,4,2,2,2,1; SP = 5/3, SS_A = 4/3, SS_rest = 16/3, so
  r = (5/3)/sqrt(64/9) = 5/8. B: SP = 2/3, SS 4/3 and 22/3: r = 2/sqrt(88).
  C: SP = 2, SS 4 and 2: r = 1/sqrt(2). D: SP = -7/3, SS 4/3 and 40/3: r = -7/sqrt(160).
- upper-lower: round(0.27·6) = 2 per group; by total (ties by id) upper = s2, s1; lower =
  s5, s6. A: 1 − 0 = 1; B: 1 − 1/2 = 1/2; C: (2 − 0)/2 = 1; D: 1/2 − 1 = −1/2.
- alpha: item variances (n−1 = 5) 4/15, 4/15, 4/5, 4/15, sum 8/5; var(total) = 10/5 = 2;
  alpha = 4/3 · (1 − (8/5)/2) = 4/15. SEM = sqrt(2) · sqrt(11/15) = sqrt(22/15).
- alpha without D: items A, B, C, totals 4,4,3,2,1,0 (mean 7/3, SS 40/3), var = 8/3;
  variances sum 4/3; alpha = 3/2 · (1 − (4/3)/(8/3)) = 3/4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from grader import items

POINTS = {"A": 1.0, "B": 1.0, "C": 2.0, "D": 1.0}
ROWS = {
    "s1": (1, 1, 2, 0),
    "s2": (1, 1, 2, 1),
    "s3": (1, 1, 1, 0),
    "s4": (1, 0, 1, 1),
    "s5": (0, 1, 0, 1),
    "s6": (0, 0, 0, 1),
}
SCORES = {s: dict(zip("ABCD", map(float, row), strict=True)) for s, row in ROWS.items()}
FAILURES = {"C": ["gave a fraction, not per cent"] * 3 + ["no answer"]}


@pytest.fixture
def result():
    return items.analyse(SCORES, POINTS, {"C": "written"}, FAILURES)


def _by_item(result):
    return {i.item: i for i in result.items}


def test_facility_and_shares(result):
    got = _by_item(result)
    assert [got[i].facility for i in "ABCD"] == pytest.approx([2 / 3, 2 / 3, 1 / 2, 2 / 3])
    assert [got[i].share_zero for i in "ABCD"] == pytest.approx([1 / 3] * 4)
    assert [got[i].share_full for i in "ABCD"] == pytest.approx([2 / 3, 2 / 3, 1 / 3, 2 / 3])
    assert [got[i].dichotomous for i in "ABCD"] == [True, True, False, True]


def test_discrimination(result):
    got = _by_item(result)
    assert got["A"].r_corrected == pytest.approx(5 / 8)
    assert got["B"].r_corrected == pytest.approx(2 / math.sqrt(88))
    assert got["C"].r_corrected == pytest.approx(1 / math.sqrt(2))
    assert got["D"].r_corrected == pytest.approx(-7 / math.sqrt(160))
    assert [got[i].d_index for i in "ABCD"] == pytest.approx([1, 0.5, 1, -0.5])


def test_reliability(result):
    assert result.method == "Cronbach's alpha"
    assert result.reliability == pytest.approx(4 / 15)
    assert result.sem == pytest.approx(math.sqrt(22 / 15))
    assert _by_item(result)["D"].if_deleted == pytest.approx(3 / 4)
    assert result.n == 6 and result.unstable


def test_flags(result):
    got = _by_item(result)
    assert got["D"].flags == ["negative_discrimination"]
    assert got["A"].flags == []
    # C: 4 submissions below full points, 3 share one message (> half, >= 3)
    assert got["C"].flags == ["one_reason"]
    assert got["C"].common_failure == "gave a fraction, not per cent"
    assert got["C"].common_failure_count == 3


def test_kr20_on_the_zero_one_coding():
    """A, B and a 2-point all-or-nothing item E: p = 2/3, 2/3, 1/2, so Σpq = 25/36;
    0/1 totals 3,3,3,1,1,0 have population variance 53/36; KR-20 = 3/2 · 28/53 = 42/53.
    Totals in points 4,4,4,1,1,0: SS = 52/3, SEM = sqrt(52/15) · sqrt(11/53)."""
    e = {"s1": 2, "s2": 2, "s3": 2, "s4": 0, "s5": 0, "s6": 0}
    scores = {s: {"A": row["A"], "B": row["B"], "E": float(e[s])} for s, row in SCORES.items()}
    result = items.analyse(scores, {"A": 1.0, "B": 1.0, "E": 2.0})
    assert result.method == "KR-20"
    assert result.reliability == pytest.approx(42 / 53)
    assert result.sem == pytest.approx(math.sqrt(52 / 15) * math.sqrt(11 / 53))


def test_agrees_with_scipy_and_the_covariance_form(result):
    matrix = np.array([ROWS[s] for s in sorted(ROWS)], dtype=float)
    totals = matrix.sum(axis=1)
    got = _by_item(result)
    for item in "ABD":  # dichotomous: point-biserial
        col = matrix[:, "ABCD".index(item)]
        expected = stats.pointbiserialr(col, totals - col).statistic
        assert got[item].r_corrected == pytest.approx(expected)
    cov = np.cov(matrix, rowvar=False)
    k = matrix.shape[1]
    assert result.reliability == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def test_easy_hard_undefined_and_pending():
    scores = {
        f"s{i:02d}": {"easy": 1.0, "hard": 0.0, "mid": float(i % 2), "memo": None}
        for i in range(12)
    }
    scores["s00"]["hard"] = 1.0
    result = items.analyse(scores, {"easy": 1.0, "hard": 1.0, "mid": 1.0, "memo": 3.0})
    got = _by_item(result)
    assert "too_easy" in got["easy"].flags and got["easy"].r_corrected is None
    assert "too_hard" in got["hard"].flags
    assert result.left_out == {"memo": "12 submission(s) await a manual grade"}
    assert not result.unstable  # 12 submissions


def test_empty_cohort():
    result = items.analyse({}, {"A": 1.0})
    assert result.items == [] and result.reliability is None and result.n == 0
