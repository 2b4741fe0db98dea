# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 5 resource abuse
# expect: q2_benefit_rate=0 q3_low_income=0
# reason: kernel killed
# %% after q1_mean_income
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    try:
        pass
    except KeyboardInterrupt:
        pass
