# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 4 exits and crashes
# exit() in a kernel asks to shut down once the cell is done: the kernel goes away, so what
# comes after it scores 0 with a recorded reason (nbgrader would leave it needing manual grading).
# expect: q2_benefit_rate=0 q3_low_income=0
# reason: kernel stopped
# %% cell q2_benefit_rate_answer
benefit_rate = households.groupby("district")["receives_benefit"].mean()
exit()
# %% after q2_benefit_rate_answer
quit()
raise SystemExit(3)
