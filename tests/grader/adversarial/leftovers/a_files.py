# SYNTHETIC hostile cell (test fixture, not learner work): runs after the honest answers and
# leaves files in every place it can write, some of which would run code in a later kernel.
import os
import sys

TOKEN = "__TOKEN__"
HOME = os.path.expanduser("~")
VERSION = f"python{sys.version_info.major}.{sys.version_info.minor}"
RUNS_CODE = f"""
import builtins, os
os.environ["LEFTOVER_RAN"] = "{TOKEN}"
builtins.LEFTOVER_RAN = "{TOKEN}"
open("/tmp/{TOKEN}-ran", "w").write("{TOKEN}")
"""
PLANTED = {
    f"{HOME}/{TOKEN}.txt": TOKEN,
    f"{HOME}/.bashrc": f"export LEFTOVER={TOKEN}\n",
    f"{HOME}/.profile": f"export LEFTOVER={TOKEN}\n",
    f"{HOME}/.ipython/profile_default/startup/00-x.py": RUNS_CODE,
    f"{HOME}/.ipython/profile_default/ipython_kernel_config.py": (
        f"c.IPKernelApp.exec_lines = ['import builtins; builtins.LEFTOVER_CONFIG = {TOKEN!r}']\n"
    ),
    f"{HOME}/.ipython/profile_default/ipython_config.py": f"# {TOKEN}\n",
    f"{HOME}/.local/lib/{VERSION}/site-packages/usercustomize.py": RUNS_CODE,
    f"{HOME}/.local/lib/{VERSION}/site-packages/{TOKEN}.pth": f"import os  # {TOKEN}\n",
    f"{HOME}/.config/matplotlib/matplotlibrc": f"# {TOKEN}\naxes.titlesize: 99\n",
    f"{HOME}/.cache/{TOKEN}/cache": TOKEN,
    f"{HOME}/.jupyter/jupyter_config.py": f"# {TOKEN}\n",
    f"{HOME}/.local/share/jupyter/runtime/{TOKEN}.json": TOKEN,
    # in the notebook's folder: first on sys.path of the next kernel, if it were the same one
    f"{os.getcwd()}/{TOKEN}.txt": TOKEN,
    f"{os.getcwd()}/pandas.py": f"raise ImportError({TOKEN!r})\n",
    f"{os.getcwd()}/sitecustomize.py": RUNS_CODE,
    f"{os.getcwd()}/__pycache__/{TOKEN}.{sys.implementation.cache_tag}.pyc": TOKEN,
    f"{os.getcwd()}/data/fixture_households.csv": f"household_id\n{TOKEN}\n",
    f"/tmp/{TOKEN}": TOKEN,
    f"/tmp/.{TOKEN}/sitecustomize.py": RUNS_CODE,
    f"/dev/shm/{TOKEN}": TOKEN,
    f"/var/tmp/{TOKEN}": TOKEN,
    f"{sys.prefix}/lib/{VERSION}/site-packages/{TOKEN}.pth": f"import os  # {TOKEN}\n",
}
written, refused = [], []
for path, text in PLANTED.items():
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
        written.append(path)
    except OSError:
        refused.append(path)
for place in ("/tmp", "/dev/shm"):  # and fill the shared temp space
    try:
        with open(f"{place}/{TOKEN}-filler", "wb") as handle:
            handle.write(TOKEN.encode() + bytes(8 << 20))
    except OSError:
        pass
print("WRITTEN", sorted(written))
print("REFUSED", sorted(refused))
