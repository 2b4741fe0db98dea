"""What isolates a learner's kernel: the sandbox itself, its limits and its lifetime.

- ``bwrap``, ``launch``: the cold path (bubblewrap, a fresh interpreter per submission);
- ``zygote``, ``newroot``, ``syscalls``, ``warm``: the warm path (kernels forked from a zygote
  into fresh namespaces built by the grader itself);
- ``cgroup``: memory and process caps of a whole sandbox; ``lifetime``: nothing outlives a run;
- ``kernel``: running cells in the sandboxed ipykernel with time and output limits.
"""
