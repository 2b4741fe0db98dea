"""Logging in from Moodle over LTI 1.3, against a real hub on loopback.

The test plays Moodle: it makes an RSA key pair, publishes the public key as a JSON Web Key Set
(Moodle's ``/mod/lti/certs.php``), starts the OpenID Connect login at the hub as Moodle's launch
page does, and answers the hub's authorisation request with an id_token signed the way Moodle
signs it (RS256, ``kid`` header, the LTI claims of a resource-link launch, the username in the
``ext`` claim as mod/lti/locallib.php puts it). The hub's authenticator verifies the real JWT
path: the key set fetched over HTTP, signature, issuer, audience, nonce and state.
What it cannot show without a real Moodle: Moodle's own admin screens and its HTTPS front end.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.deploy.course_steps import ASSIGNMENT
from tests.deploy.hub_harness import Hub, course_hub

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / ASSIGNMENT
ISSUER = "https://moodle.example.org"
CLIENT_ID = "pGh5kDqz3Lr1Xw7"
LTI = "https://purl.imsglobal.org/spec/lti/claim"


class Platform:
    """The Moodle side: a signing key and its published key set on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        keyset = json.dumps({"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]})

        class KeySet(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path != "/mod/lti/certs.php":
                    self.send_error(404)
                    return
                body = keyset.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), KeySet)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sign(self, claims: dict, key=None) -> str:
        pem = (key or self.key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": self.kid})

    def launch_claims(self, *, nonce: str, username: str | None, target: str) -> dict:
        """A resource-link launch as Moodle 4.x sends it for a learner with name sharing on."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "1042",  # Moodle's user id
            "exp": now + 60,
            "iat": now,
            "nonce": nonce,
            "given_name": "Анна",
            "family_name": "Иванова",
            "name": "Анна Иванова",
            "email": "a.ivanova@example.org",
            f"{LTI}/deployment_id": "3",
            f"{LTI}/message_type": "LtiResourceLinkRequest",
            f"{LTI}/version": "1.3.0",
            f"{LTI}/target_link_uri": target,
            f"{LTI}/resource_link": {"id": "17", "title": "Exercise 1"},
            f"{LTI}/roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            f"{LTI}/context": {"id": "8", "label": "SPM-2025", "title": "Social programmes"},
            f"{LTI}/launch_presentation": {"locale": "ru", "document_target": "window"},
            f"{LTI}/tool_platform": {"product_family_code": "moodle", "version": "2024100700"},
            f"{LTI}/ext": {"lms": "moodle-2"},
        }
        if username is not None:
            claims[f"{LTI}/ext"]["user_username"] = username
        return claims

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def platform():
    moodle = Platform()
    yield moodle
    moodle.close()


@pytest.fixture(scope="module")
def hub(platform: Platform):
    lti = "\n".join(
        [
            "[lti]",
            f'issuer = "{ISSUER}"',
            f'client_id = "{CLIENT_ID}"',
            f'authorize_url = "{platform.url}/mod/lti/auth.php"',
            f'jwks_endpoint = "{platform.url}/mod/lti/certs.php"',
            "",
        ]
    )
    with course_hub(
        FIXTURE.parent,
        ASSIGNMENT,
        prefix="course-hub-lti-",
        trainer="olga",
        hub={"authenticator": "lti13"},
        extra=lti,
    ) as hub:
        yield hub


def launch(hub: Hub, platform: Platform, *, username: str | None = "a.ivanova", key=None):
    """Moodle's launch: login initiation, the hub's authorisation request, the signed answer."""
    session = requests.Session()
    target = f"{hub.url}/hub/"
    start = session.post(
        f"{hub.url}/hub/lti13/oauth_login",
        data={
            "iss": ISSUER,
            "target_link_uri": target,
            "login_hint": "1042",
            "lti_message_hint": '{"cmid":17,"launchid":"ltilaunch1_1"}',
            "client_id": CLIENT_ID,
            "lti_deployment_id": "3",
        },
        allow_redirects=False,
        timeout=60,
    )
    assert start.status_code == 302, start.text
    request = urlsplit(start.headers["Location"])
    assert (
        f"{request.scheme}://{request.netloc}{request.path}" == f"{platform.url}/mod/lti/auth.php"
    )
    asked = {k: v[0] for k, v in parse_qs(request.query).items()}
    assert (asked["response_type"], asked["scope"]) == ("id_token", "openid")
    assert (asked["client_id"], asked["login_hint"]) == (CLIENT_ID, "1042")
    claims = platform.launch_claims(nonce=asked["nonce"], username=username, target=target)
    token = platform.sign(claims, key)
    answer = session.post(
        asked["redirect_uri"],
        data={"id_token": token, "state": asked["state"]},
        allow_redirects=False,
        timeout=60,
    )
    return answer, session


def test_a_moodle_launch_logs_the_learner_in_under_their_moodle_username(
    hub: Hub, platform: Platform
) -> None:
    answer, session = launch(hub, platform)
    assert answer.status_code == 302, answer.text
    user = hub.api("GET", "users/a.ivanova")
    assert user["name"] == "a.ivanova"  # = the student id the grader exports back to Moodle
    # The hub session is the learner's: the cookie set by the launch opens their hub page.
    home = session.get(f"{hub.url}/hub/home", allow_redirects=False, timeout=60)
    assert home.status_code == 200 and "a.ivanova" in home.text


def test_a_token_signed_by_another_key_is_refused(hub: Hub, platform: Platform) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    answer, _ = launch(hub, platform, username="intruder", key=stranger)
    assert answer.status_code == 400
    with pytest.raises(requests.HTTPError):
        hub.api("GET", "users/intruder")


def test_a_launch_without_the_username_says_which_moodle_setting_to_change(
    hub: Hub, platform: Platform
) -> None:
    answer, _ = launch(hub, platform, username=None)
    assert answer.status_code == 400
    assert "Share launcher&#39;s name with tool" in answer.text or "Share launcher" in answer.text
