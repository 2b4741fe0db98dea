# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
def swallow(shell, etype, evalue, tb, tb_offset=None):
    return None


get_ipython().set_custom_exc((BaseException,), swallow)
mean_income = 20000.0
