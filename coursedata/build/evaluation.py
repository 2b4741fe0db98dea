"""Three classic evaluation data sets from the causaldata package, as tidy CSVs (module 6).

- nsw_jobs: the National Supported Work experiment (treated and control) stacked with the
  Current Population Survey comparison group, so one file shows experimental and naive estimates;
- thornton_hiv: the Malawi experiment with cash incentives to learn HIV test results;
- organ_donations: organ-donor registration rates by US state and quarter (California's
  active-choice question), for difference-in-differences.
The package is needed only at build time; the course reads the CSVs.
"""

from __future__ import annotations

import pandas as pd

from coursedata.build.common import Field, Table

PACKAGE_SOURCE = "causaldata 0.1.5 (https://pypi.org/project/causaldata/)"
PACKAGE_LICENCE = {
    "name": "MIT",
    "title": "causaldata package (MIT licence); data of the cited authors",
}


def _load(name: str) -> pd.DataFrame:
    try:
        import causaldata
    except ImportError as err:  # build-time only dependency
        raise RuntimeError(f"building {name} needs `pip install causaldata`") from err
    return getattr(causaldata, name).load_pandas().data


def _money(values: pd.Series) -> pd.Series:
    # The package stores earnings as float32; round to cents so the CSV is stable and readable.
    return values.astype("float64").round(2)


def _nsw() -> pd.DataFrame:
    nsw = _load("nsw_mixtape")
    cps = _load("cps_mixtape")
    nsw_sample = nsw["treat"].map({1: "nsw_treated", 0: "nsw_control"})
    frames = []
    for data, sample in ((nsw, nsw_sample), (cps, pd.Series("cps_comparison", index=cps.index))):
        frames.append(
            pd.DataFrame(
                {
                    "sample": sample.astype(str),
                    "treated": data["treat"].astype(bool),
                    "age": data["age"].astype(int),
                    "education_years": data["educ"].astype(int),
                    "black": data["black"].astype(bool),
                    "hispanic": data["hisp"].astype(bool),
                    "married": data["marr"].astype(bool),
                    "no_degree": data["nodegree"].astype(bool),
                    "earnings_1974": _money(data["re74"]),
                    "earnings_1975": _money(data["re75"]),
                    "earnings_1978": _money(data["re78"]),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame.insert(0, "person_id", range(1, len(frame) + 1))
    return frame


def _thornton() -> pd.DataFrame:
    data = _load("thornton_hiv")
    # Analysis sample: people whose incentive and follow-up (learned result or not) are recorded.
    data = data.dropna(subset=["got", "any"]).reset_index(drop=True)
    return pd.DataFrame(
        {
            "person_id": range(1, len(data) + 1),
            "village_id": data["villnum"].astype("Int64"),
            "any_incentive": data["any"].astype(bool),
            "incentive_amount": data["tinc"].astype("float64").round(4),
            "distance_km": data["distvct"].astype("float64").round(4),
            "age": data["age"].astype("Int64"),
            "hiv_positive": data["hiv2004"].map({1.0: True, 0.0: False}).astype("boolean"),
            "got_result": data["got"].astype(bool),
        }
    )


def _organ() -> pd.DataFrame:
    data = _load("organ_donations")
    # California switched to an active-choice question in Q3 2011 (Quarter_Num 4).
    return pd.DataFrame(
        {
            "state": data["State"].astype(str),
            "quarter": data["Quarter"].astype(str),
            "quarter_num": data["Quarter_Num"].astype(int),
            "rate": data["Rate"].astype("float64"),
            "california": data["State"].astype(str).eq("California"),
            "after": data["Quarter_Num"].astype(int).ge(4),
        }
    )


def build() -> list[Table]:
    """Return nsw_jobs, thornton_hiv and organ_donations."""
    source = [{"title": PACKAGE_SOURCE, "path": "https://pypi.org/project/causaldata/"}]
    return [
        Table(
            "nsw_jobs",
            "National Supported Work experiment and a survey comparison group (earnings, USD)",
            "Men in the US National Supported Work Demonstration, a job-training programme tested "
            "with random assignment in the 1970s (Dehejia-Wahba sample: 185 treated, 260 "
            "controls; package nsw_mixtape), stacked with 15,992 men from the Current Population "
            "Survey used as a non-experimental comparison group (package cps_mixtape). Earnings "
            "are annual real earnings in US dollars, rounded to cents. person_id is our row "
            "number. LaLonde, R. (1986), American Economic Review 76(4), 604-620; Dehejia, R. and "
            "Wahba, S. (1999), Journal of the American Statistical Association 94(448), 1053-1062.",
            source,
            [PACKAGE_LICENCE],
            NSW_FIELDS,
            _nsw(),
            ["person_id"],
        ),
        Table(
            "thornton_hiv",
            "Malawi experiment: cash incentives to learn HIV test results",
            "People tested for HIV in rural Malawi in 2004 were offered, at random, a cash "
            "voucher (of random size, possibly zero) payable when they collected their result at "
            "a testing centre. Rows: the 2,834 people of the package's thornton_hiv whose "
            "incentive and follow-up are both recorded (1,986 rows without them are left out). "
            "person_id is our row number. Thornton, R. L. (2008), American Economic Review "
            "98(5), 1829-1863.",
            source,
            [PACKAGE_LICENCE],
            THORNTON_FIELDS,
            _thornton(),
            ["person_id"],
        ),
        Table(
            "organ_donations",
            "Organ-donor registration rate by US state and quarter, 2010-2012",
            "Quarterly organ-donor registration rates for California, which changed the wording "
            "of its sign-up question to active choice in the third quarter of 2011, and for the "
            "states that Kessler and Roth (2014) treat as comparisons. Kessler, J. B. and Roth, "
            "A. E. (2014), NBER Working Paper 20378.",
            source,
            [PACKAGE_LICENCE],
            ORGAN_FIELDS,
            _organ(),
            ["state", "quarter_num"],
        ),
    ]


NSW_FIELDS = [
    Field("person_id", "integer", "Row number in our stacked file", unit="row number"),
    Field(
        "sample",
        "string",
        "nsw_treated / nsw_control (the randomised experiment) or cps_comparison (survey)",
        enum=("nsw_treated", "nsw_control", "cps_comparison"),
    ),
    Field("treated", "boolean", "Took part in the programme (True only for nsw_treated)"),
    Field("age", "integer", "Age of the person", unit="years"),
    Field("education_years", "integer", "Years of schooling", unit="years"),
    Field("black", "boolean", "Recorded as Black"),
    Field("hispanic", "boolean", "Recorded as Hispanic"),
    Field("married", "boolean", "Recorded as married"),
    Field("no_degree", "boolean", "No high-school degree"),
    Field("earnings_1974", "number", "Real annual earnings in 1974", unit="USD"),
    Field(
        "earnings_1975", "number", "Real annual earnings in 1975 (before the programme)", unit="USD"
    ),
    Field(
        "earnings_1978", "number", "Real annual earnings in 1978 (after the programme)", unit="USD"
    ),
]

THORNTON_FIELDS = [
    Field("person_id", "integer", "Row number in our file", unit="row number"),
    Field(
        "village_id", "integer", "Village identifier (missing for a few rows)", unit="identifier"
    ),
    Field("any_incentive", "boolean", "Was offered a non-zero cash incentive (random)"),
    Field(
        "incentive_amount",
        "number",
        "Total cash incentive offered (package variable tinc); values look like US dollars "
        "(the maximum, 2.84, equals 300 Malawi kwacha at 105.75 per dollar)",
        unit="USD",
    ),
    Field("distance_km", "number", "Distance to the result centre", unit="km"),
    Field("age", "integer", "Age (missing for some rows)", unit="years"),
    Field("hiv_positive", "boolean", "HIV test result in 2004"),
    Field("got_result", "boolean", "Went to the centre and learned the test result"),
]

ORGAN_FIELDS = [
    Field("state", "string", "US state (California is the state that changed its question)"),
    Field("quarter", "string", "Quarter as in the package, e.g. Q32011"),
    Field(
        "quarter_num",
        "integer",
        "Quarter number: 1 = Q4 2010 ... 6 = Q1 2012",
        unit="quarter index",
    ),
    Field(
        "rate",
        "number",
        "Organ-donor registration rate as given in the package",
        unit="fraction 0-1",
    ),
    Field("california", "boolean", "True for California"),
    Field("after", "boolean", "Quarter is Q3 2011 or later (after California's change)"),
]
