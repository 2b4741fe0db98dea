"""nbgrader's exchange for hubs where each learner has a Unix account: submissions kept apart.

**Collect** refuses submissions that a learner filed under someone else's name.

nbgrader's inbound folder is writable by every learner, and a submission is named
``<student id>+<assignment>+<time>+<random>``: Ana can drop ``boris+ex01+<later time>+x`` there,
and nbgrader's collect, which takes each student's latest submission, would then grade her file as
Boris's. nbgrader only logs a warning when the file's Unix owner differs from the student id
(``check_owner``). On a hub where every learner has their own Unix account, that owner is a fact the
learner cannot forge, so this collect drops such entries (and links) *before* the latest
submission per student is chosen, and says so in the log.

**Submit** leaves a submission readable by its owner and the grader's group only. nbgrader makes
every submission world-readable and its folder world-writable (0777), relying on the random part
of its name to hide it; a learner who learns that name (a shared screen, a log) could read the
other's work and its feedback secret, or swap its files. The inbound folder is set-group-ID and
owned by the grader's group (deploy/jupyterhub/prepare_folders.py), so the grader still reads
everything through the group.

Enabled by the deployment (``deploy/jupyterhub/singleuser/common/nbgrader_config.py``) when the
course settings name the Unix account of a login (``unix_account = "{login}"``, or
``"jupyter-{login}"`` on The Littlest JupyterHub). Kubernetes pods all run as ``jovyan``, where
ownership proves nothing; there the networked exchange (ngshare) is the answer.
"""

from __future__ import annotations

import os
import pwd
import stat

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit
from traitlets import Unicode

_REFUSED = "\0refused"  # a username no real submission can carry: keeps refused entries apart


class OwnerCheckedCollect(ExchangeCollect):
    """Collect only submissions owned by the Unix account of the student they claim to be."""

    account_template = Unicode(
        "{login}",
        help="The Unix account of hub login {login}; a submission owned by another is refused.",
    ).tag(config=True)

    def _owner_problem(self, path: str, student_id: str) -> str | None:
        try:
            info = os.lstat(path)
        except OSError as error:
            return f"cannot be read ({error.strerror})"
        if stat.S_ISLNK(info.st_mode):
            return "is a symbolic link"
        expected = self.account_template.format(login=student_id)
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = f"uid {info.st_uid}"
        if owner != expected:
            return f"claims to be from {student_id!r} but belongs to Unix account {owner!r}"
        return None

    def _path_to_record(self, path: str) -> dict:
        record = super()._path_to_record(path)
        problem = self._owner_problem(path, record["username"])
        if problem:
            self.log.warning("Refused %s: it %s", record["filename"], problem)
            # its own group, so it can never be picked as a real student's latest submission
            record["username"] = f"{_REFUSED}:{record['filename']}"
        return record

    def init_src(self) -> None:
        super().init_src()
        self.src_records = [r for r in self.src_records if not r["username"].startswith(_REFUSED)]


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, readable only by the learner and the grader's group.

    Files get the grader's group by being created inside a folder that inherited the set-group-ID
    inbound's group; nbgrader's copy would then reset that folder's mode from the learner's own
    folder (dropping set-group-ID) before writing timestamp.txt, so the copy goes through a
    staging folder and the submission folder itself is made fresh.
    """

    def do_copy(self, src, dest, log=None):
        if os.path.dirname(dest) != self.inbound_path:  # the learner's own cache copy
            return super().do_copy(src, dest, log=log)
        staging = os.path.join(self.inbound_path, f".staging-{os.getpid()}-{id(self)}")
        super().do_copy(src, staging, log=log)
        os.mkdir(dest)  # in the inbound: the grader's group, and set-group-ID itself
        for name in os.listdir(staging):
            os.rename(os.path.join(staging, name), os.path.join(dest, name))
        os.rmdir(staging)

    def copy_files(self) -> None:
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        for folder, _dirs, files in os.walk(submission, followlinks=False):
            for name in files:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o640)
            os.chmod(folder, 0o750)
