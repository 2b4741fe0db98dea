# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
def wrap(lines):
    # every later cell runs inside try/except: no test could ever raise
    return ["try:\n"] + ["    " + line for line in lines] + ["\n", "except BaseException:\n", "    pass\n"]


get_ipython().input_transformers_cleanup.append(wrap)
mean_income = 20000.0
