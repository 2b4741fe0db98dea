# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 7 malformed submissions
# status: failed
# expect: all=0
# reason: not valid notebook JSON
# %% raw-file
{"cells": [{"cell_type": "code", "source": "mean_income = 1"
