"""Uruguay PANES cash transfer (gov_transfers from the causaldata package) as a tidy CSV.

The package is needed only at build time; the course reads datasets/panes_transfers.csv.
"""

from __future__ import annotations

import pandas as pd

from coursedata.build.common import Field, Table

CITATION = (
    "Manacorda, M., Miguel, E. and Vigorito, A. (2011). Government Transfers and Political "
    "Support. American Economic Journal: Applied Economics, 3(3), 1-28. "
    "doi:10.1257/app.3.3.1. Data as distributed in the causaldata Python package "
    "(gov_transfers), which accompanies N. Huntington-Klein, The Effect (2021)."
)


def _frame() -> pd.DataFrame:
    try:
        from causaldata import gov_transfers
    except ImportError as err:  # build-time only dependency
        raise RuntimeError("building panes_transfers.csv needs `pip install causaldata`") from err
    data = gov_transfers.load_pandas().data
    frame = pd.DataFrame(
        {
            "household_id": range(1, len(data) + 1),
            "income_centered": data["Income_Centered"].astype(float),
            "eligible": data["Income_Centered"] < 0,
            "participation": data["Participation"].astype(bool),
            "education_years": data["Education"].astype(float),
            "age_avg": data["Age"].astype(float),
            "support": data["Support"].astype(float),
        }
    )
    return frame


def build() -> list[Table]:
    """Return panes_transfers."""
    return [
        Table(
            "panes_transfers",
            "Uruguay PANES transfers: proxy-means-test score and take-up",
            "Households close to the eligibility cutoff of Uruguay's PANES anti-poverty programme "
            "(2005-2007). Eligibility was decided by a predicted-income score (a proxy means test); "
            "income_centered is that score minus the cutoff, negative = eligible. Regression-"
            "discontinuity sample of 1,948 households. household_id is our row number (the "
            "package has no id). " + CITATION,
            [
                {
                    "title": "causaldata 0.1.5, gov_transfers (Government_Transfers_RDD_Data.csv)",
                    "path": "https://pypi.org/project/causaldata/",
                }
            ],
            [
                {
                    "name": "MIT",
                    "title": "causaldata package (MIT licence); data of Manacorda, Miguel "
                    "and Vigorito (2011), cited",
                }
            ],
            FIELDS,
            _frame(),
            ["household_id"],
        )
    ]


FIELDS = [
    Field("household_id", "integer", "Row number (1-1,948) in the package's order"),
    Field(
        "income_centered",
        "number",
        "Predicted-income (proxy means test) score centred at the "
        "eligibility cutoff; negative = eligible",
        unit="score units",
    ),
    Field("eligible", "boolean", "True if income_centered < 0 (eligible for the transfer)"),
    Field("participation", "boolean", "Household received the PANES transfers"),
    Field(
        "education_years",
        "number",
        "Average years of education of household members aged 16+",
        unit="years",
    ),
    Field("age_avg", "number", "Average age of household members", unit="years"),
    Field(
        "support",
        "number",
        "Support for the government as coded in the package: 0, 0.5 or 1, higher = more "
        "support (see Manacorda, Miguel and Vigorito 2011 for the survey question)",
        unit="index 0-1",
    ),
]
