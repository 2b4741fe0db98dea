"""Fast checks of deploy/jupyterhub/: the hub config, its settings errors, the Helm values."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"
SINGLEUSER = DEPLOY / "singleuser"


def load_hub_config(settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The traitlets config JupyterHub would get from jupyterhub_config.py with ``settings``."""
    path = tmp_path / "course.toml"
    path.write_text(settings, encoding="utf-8")
    monkeypatch.setenv("COURSE_HUB_SETTINGS", str(path))
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


@pytest.fixture
def example_settings(tmp_path: Path) -> str:
    """course.example.toml with its course directory pointed at a folder that exists."""
    text = (DEPLOY / "course.example.toml").read_text(encoding="utf-8")
    course_dir = tmp_path / "course"
    course_dir.mkdir()
    return text.replace('"/srv/nbgrader/spm-2025"', f'"{course_dir}"')


def test_example_settings_give_groups_roles_limits_and_formgrader(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_hub_config(example_settings, tmp_path, monkeypatch)
    hub, spawner = config.JupyterHub, config.Spawner
    groups = hub.load_groups.get_value({})
    assert groups == {"trainers": {"users": ["olga"]}, "learners": {"users": ["ana", "boris"]}}
    assert config.Authenticator.allowed_users.get_value(set()) == {"olga", "ana", "boris"}
    (role,) = hub.load_roles.get_value([])
    assert role["groups"] == ["trainers"]
    assert "access:services!service=formgrader-spm-2025" in role["scopes"]
    (service,) = hub.services.get_value([])
    assert service["name"] == "formgrader-spm-2025"
    assert service["url"] == "http://127.0.0.1:9999"
    assert service["cwd"] == str(tmp_path / "course")
    assert service["environment"]["COURSE_ROLE"] == "grader"
    assert service["environment"]["JUPYTER_CONFIG_PATH"] == str(SINGLEUSER / "common")
    env = spawner.environment.get_value({})
    assert env["COURSE_ROLE"] == "learner"
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [
        str(SINGLEUSER / "learner"),
        str(SINGLEUSER / "common"),
    ]
    assert (spawner.mem_limit, spawner.cpu_limit) == ("1G", 1.0)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace('id = "spm-2025"', 'id = "spm+2025"'), "use letters, digits"),
        (lambda s: s.replace('exchange = "', 'exchange_dir = "'), "[course] exchange is missing"),
        (lambda s: s.replace("[limits]", "[limits"), "not valid TOML"),
        (
            lambda s: s.replace(s.split('directory = "')[1].split('"')[0], "/nonexistent/course"),
            "does not exist",
        ),
    ],
)
def test_bad_settings_stop_the_hub_with_one_line(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit, message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        load_hub_config(edit(example_settings), tmp_path, monkeypatch)
    text = str(stopped.value)
    assert message in text and "\n" not in text


def test_missing_settings_file_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COURSE_HUB_SETTINGS", str(tmp_path / "absent.toml"))
    with pytest.raises(SystemExit, match="copy course.example.toml to course.toml"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_example_settings_parse() -> None:
    settings = tomllib.loads((DEPLOY / "course.example.toml").read_text(encoding="utf-8"))
    assert set(settings) == {"course", "people", "limits", "hub", "lti"}


def test_helm_values_are_valid_yaml_and_embed_the_same_singleuser_files() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert single["memory"]["limit"] == "1G" and single["cpu"]["limit"] == 1
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert single["extraEnv"]["COURSE_EXCHANGE"] in mounts
    files = single["extraFiles"]
    common = (SINGLEUSER / "common" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert files["nbgrader-config"]["stringData"] == common
    server = json.loads((SINGLEUSER / "learner" / "jupyter_server_config.json").read_text())
    assert files["learner-server-config"]["data"] == server
    lab = json.loads((SINGLEUSER / "learner" / "labconfig" / "page_config.json").read_text())
    assert files["learner-lab-config"]["data"] == lab
    # Every embedded file lands where JUPYTER_CONFIG_PATH looks.
    config_dirs = single["extraEnv"]["JUPYTER_CONFIG_PATH"].split(":")
    for entry in files.values():
        assert any(entry["mountPath"].startswith(d + "/") for d in config_dirs)
    compile(values["hub"]["extraConfig"]["course-trainer-pods"], "extraConfig", "exec")
    assert values["hub"]["loadRoles"]["course-trainer"]["groups"] == ["trainers"]


def test_course_id_must_match_the_released_course_directory(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `python -m grader release` writes: learners would look under another id.
    (tmp_path / "course" / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'default_course'\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit, match="differs from the course id 'default_course'"):
        load_hub_config(example_settings, tmp_path, monkeypatch)
    same = example_settings.replace('id = "spm-2025"', 'id = "default_course"')
    assert load_hub_config(same, tmp_path, monkeypatch).JupyterHub.services.get_value([])


def test_russian_cohort_gets_the_language_pack_default_and_russian_checks(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = example_settings.replace('language = "en"', 'language = "ru"')
    config = load_hub_config(settings, tmp_path, monkeypatch)
    settings_dir = SINGLEUSER / "lab-settings" / "ru"
    assert f"--LabApp.app_settings_dir={settings_dir}" in config.Spawner.args.get_value([])
    overrides = json.loads((settings_dir / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "ru_RU"
    assert config.Spawner.environment.get_value({})["COURSE_LANG"] == "ru"
    (service,) = config.JupyterHub.services.get_value([])
    assert service["environment"]["COURSE_LANG"] == "ru"
    english = load_hub_config(example_settings, tmp_path, monkeypatch)
    assert not any("app_settings_dir" in arg for arg in english.Spawner.args.get_value([]))


def test_unknown_language_and_account_template_stop_the_hub(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for edit, message in (
        (('language = "en"', 'language = "de"'), "language 'de'"),
        (('unix_account = "{login}"', 'unix_account = "x"'), "{login}"),
    ):
        settings = example_settings.replace(*edit)
        with pytest.raises(SystemExit, match=message):
            load_hub_config(settings, tmp_path, monkeypatch)


def test_own_accounts_switch_on_owner_checked_collect_and_private_submit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nbgrader_config(**env: str):
        for key, value in {"COURSE_UNIX_ACCOUNT": "", "JUPYTERHUB_USER": "", **env}.items():
            monkeypatch.setenv(key, value)
        return PyFileConfigLoader(
            "nbgrader_config.py", path=str(SINGLEUSER / "common")
        ).load_config()

    grader = nbgrader_config(COURSE_ROLE="grader", COURSE_UNIX_ACCOUNT="jupyter-{login}")
    assert grader.ExchangeFactory.collect == "grader.hub_exchange.OwnerCheckedCollect"
    assert grader.OwnerCheckedCollect.account_template == "jupyter-{login}"
    learner = nbgrader_config(
        COURSE_ROLE="learner", JUPYTERHUB_USER="ana", COURSE_UNIX_ACCOUNT="{login}"
    )
    assert learner.ExchangeFactory.submit == "grader.hub_exchange.PrivateSubmit"
    shared = nbgrader_config(COURSE_ROLE="learner", JUPYTERHUB_USER="ana")  # Kubernetes: jovyan
    assert "submit" not in shared.ExchangeFactory


def test_lti_settings_configure_the_moodle_authenticator(
    example_settings: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = example_settings.replace('authenticator = ""', 'authenticator = "lti13"')
    for key, value in (
        ("issuer", "https://moodle.example.org"),
        ("client_id", "AbC123"),
        ("authorize_url", "https://moodle.example.org/mod/lti/auth.php"),
        ("jwks_endpoint", "https://moodle.example.org/mod/lti/certs.php"),
    ):
        settings = settings.replace(f'{key} = ""', f'{key} = "{value}"')
    config = load_hub_config(settings, tmp_path, monkeypatch)
    assert config.JupyterHub.authenticator_class == "course_lti.MoodleLTI13Authenticator"
    assert config.LTI13Authenticator.client_id == {"AbC123"}
    assert config.LTI13Authenticator.jwks_endpoint.endswith("/mod/lti/certs.php")
    with pytest.raises(SystemExit, match=r"\[lti\] jwks_endpoint is missing"):
        load_hub_config(settings.replace("jwks_endpoint =", "jwks ="), tmp_path, monkeypatch)


def test_prepare_folders_says_what_is_missing_in_one_line(tmp_path: Path) -> None:
    settings = tmp_path / "course.toml"
    settings.write_text('[course]\nid = "c"\ndirectory = "/nonexistent"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "prepare_folders.py"), str(settings)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")


def test_owner_checked_collect_refuses_links_and_other_owners(tmp_path: Path) -> None:
    import os
    import pwd
    from types import SimpleNamespace

    from grader.hub_exchange import OwnerCheckedCollect

    me = pwd.getpwuid(os.getuid()).pw_name
    real = tmp_path / "submission"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    collect = SimpleNamespace(account_template="{login}")
    problem = OwnerCheckedCollect._owner_problem
    assert problem(collect, str(tmp_path / "link"), me) == "is a symbolic link"
    assert problem(collect, str(real), me) is None
    assert "belongs to Unix account" in problem(collect, str(real), "someone-else")
