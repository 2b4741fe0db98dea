# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 1 hiding failures
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import ctypes

# -O for the rest of this interpreter: assert statements compile to nothing
ctypes.c_int.in_dll(ctypes.pythonapi, "Py_OptimizeFlag").value = 2
mean_income = 20000.0
