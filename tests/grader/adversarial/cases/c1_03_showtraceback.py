# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip._showtraceback = lambda *args, **kwargs: None
ip.showsyntaxerror = lambda *args, **kwargs: None
mean_income = 20000.0
