"""LTI 1.3 login from Moodle: the learner's hub login is their Moodle username.

Why the username: the hub login becomes the nbgrader student id, and `python -m grader export
--format moodle` writes that id back. Moodle's grade import (grade/import/csv) can map a column
to a user's *username*, so a hub login equal to the Moodle username needs no roster to match.
Moodle puts the username into every LTI launch whose tool shares the launcher's name
(mod/lti/locallib.php: ``ext_user_username``), which in an LTI 1.3 id_token is the claim
``https://purl.imsglobal.org/spec/lti/claim/ext`` → ``user_username``. jupyterhub-ltiauthenticator
reads only top-level and custom claims, hence this small subclass. ``username_claim = "email"``
uses the e-mail instead (then export with the e-mail as the key).
"""

from __future__ import annotations

from ltiauthenticator.lti13.auth import LTI13Authenticator
from ltiauthenticator.lti13.error import LoginError
from traitlets import Unicode

EXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/ext"


class MoodleLTI13Authenticator(LTI13Authenticator):
    """LTI 1.3 authenticator whose usernames are Moodle usernames (or another chosen claim)."""

    username_claim = Unicode(
        "moodle_username",
        config=True,
        help='"moodle_username" (the ext claim user_username), "email", "sub" or a top-level claim.',
    )

    def get_username(self, token: dict) -> str:
        if self.username_claim == "moodle_username":
            value = (token.get(EXT_CLAIM) or {}).get("user_username")
        else:
            value = token.get(self.username_claim)
        if not value or not isinstance(value, str):
            # Never fall back on the opaque `sub`: the grades could then not be matched in Moodle.
            raise LoginError(
                f"The Moodle launch carries no {self.username_claim!r}: in the tool's settings "
                "in Moodle, set Privacy → 'Share launcher's name with tool' (and e-mail) to Always."
            )
        return value.strip().lower()
