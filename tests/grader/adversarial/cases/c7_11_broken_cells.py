# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# Hand-edited JSON: junk cells, a list-of-lines source, no metadata; the valid cells still count.
# expect: q2_benefit_rate=0 q3_low_income=0
# reason: not a valid notebook cell
# %% raw-file
{"nbformat": 4, "nbformat_minor": 5, "metadata": {},
 "cells": [
  42, {"cell_type": "bogus", "source": "x"}, {"no": "type"},
  {"cell_type": "code", "source": ["import pandas as pd\n", "households = pd.read_csv('data/fixture_households.csv')\n"]},
  {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "q1_mean_income_answer", "solution": true}},
   "source": "mean_income = float(households['monthly_income_rub'].mean())"},
  {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "q1_mean_income", "grade": true, "points": 2}},
   "source": "", "outputs": "not a list"}
 ]}
