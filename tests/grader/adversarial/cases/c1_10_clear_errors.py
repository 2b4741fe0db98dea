# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
from IPython.display import clear_output

ip = get_ipython()
ip.events.register("post_run_cell", lambda result: clear_output())
ip.run_line_magic("xmode", "Minimal")
ip.display_pub.publish = lambda *args, **kwargs: None
mean_income = 20000.0
