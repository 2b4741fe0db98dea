# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# IPython catches SystemExit: only the cell that exits loses its answer.
# expect: q2_benefit_rate=0
# %% cell q2_benefit_rate_answer
import sys

sys.exit(1)
benefit_rate = households.groupby("district")["receives_benefit"].mean()
