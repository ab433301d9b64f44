"""The many-machine deployment files: the compose file is valid Compose, holds no secret, and matches its guide.

No Docker engine runs here, so the compose file is checked against the Compose
specification's JSON schema (check-jsonschema's bundled copy) rather than by
`docker compose config`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
DEPLOY_GUIDE = REPO_ROOT / "docs" / "deploy.md"
AIRFLOW_SERVICES = {
    "postgres",
    "redis",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|_KEY$")


def check_compose_schema(path: Path) -> subprocess.CompletedProcess:
    checker = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return {name.strip(): value.strip() for name, value in pairs}


def test_compose_file_validates_against_the_compose_schema():
    result = check_compose_schema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_refuses_a_misspelt_key(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace("    restart: always\n", "    restrat: always\n", 1))
    result = check_compose_schema(broken)
    assert result.returncode != 0
    assert "restrat" in result.stdout + result.stderr


def test_compose_has_the_official_shape():
    services = compose()["services"]
    assert AIRFLOW_SERVICES <= services.keys()
    common = compose()["x-airflow-common"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert common["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert common["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")
    # real users with passwords, not an open UI
    assert common["AIRFLOW__CORE__AUTH_MANAGER"].endswith("FabAuthManager")
    assert services["airflow-worker"]["command"] == "celery worker"


def test_no_secret_is_written_in_the_compose_file():
    text = COMPOSE.read_text(encoding="utf-8")
    for name, value in re.findall(r"^\s+(\w+):\s*(.+)$", text, flags=re.MULTILINE):
        if SECRET_NAME.search(name):
            assert value.startswith("${"), f"{name} is written in the compose file; it must come from .env"
    for url in re.findall(r"\w+(?:\+\w+)?://[^\s'\"]+", text):
        credentials = url.split("://", 1)[1].split("@", 1)
        if len(credentials) == 2:
            assert all(part.startswith("${") for part in credentials[0].split(":")), url


def test_every_variable_the_compose_file_needs_is_in_env_example_and_no_secret_is_filled_in():
    needed = set(re.findall(r"(?<!\$)\$\{(\w+)", COMPOSE.read_text(encoding="utf-8")))  # $${X} is escaped
    example = env_example()
    optional = {"NEWSDESK_IMAGE"}  # has a default and is rarely changed
    assert needed - optional <= example.keys()
    for name, value in example.items():
        if SECRET_NAME.search(name):
            assert value == "", f".env.example gives a value for the secret {name}"
    assert ".env" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_dockerfile_builds_on_the_locked_airflow_version():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    image_version = re.search(r"^ARG AIRFLOW_VERSION=(\S+)$", dockerfile, flags=re.MULTILINE).group(1)
    locked = re.search(r"^apache-airflow==(\S+)$", (REPO_ROOT / "requirements.lock").read_text(), flags=re.MULTILINE)
    assert image_version == locked.group(1)
    # the runtime and the cluster extra, held to the lock's versions
    assert "-c requirements.lock" in dockerfile and "['optional-dependencies']['cluster']" in dockerfile


def compose_commands() -> list[list[str]]:
    guide = DEPLOY_GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, flags=re.DOTALL)
    return [line.split() for block in blocks for line in block.splitlines() if line.startswith("docker compose")]


def services_named(words: list[str]) -> list[str]:
    """The services a `docker compose SUBCOMMAND ...` command line acts on."""
    subcommand, rest = words[2], words[3:]
    named = [w.split("=")[0] for option, w in zip(rest, rest[1:]) if option == "--scale"]
    operands = [w for i, w in enumerate(rest) if not w.startswith("-") and (i == 0 or rest[i - 1] != "--scale")]
    if subcommand in ("run", "exec"):
        named.append(operands[0])  # the rest is the command run in it
    elif subcommand == "up":
        named += operands
    return named


def test_deploy_guide_commands_name_services_that_exist():
    services = compose()["services"]
    commands = compose_commands()
    assert commands, "the deploy guide shows no docker compose command"
    for words in commands:
        for service in services_named(words):
            assert service in services, f"{' '.join(words)}: no service {service}"


@pytest.mark.parametrize(
    "path",
    [
        ".env.example",
        "Dockerfile",
        "docker-compose.yml",
        "requirements.lock",
        "dbt/profiles.yml",
        "include/newsdesk/collect/registries/real.yaml",
        "tests/test_celery_cluster.py",
        "tests/test_deploy_files.py",
    ],
)
def test_files_the_deploy_guide_names_exist(path):
    assert path in DEPLOY_GUIDE.read_text(encoding="utf-8")
    assert (REPO_ROOT / path).exists()


def dockerfile_copies() -> dict[str, str]:
    """Source -> destination of each COPY in the Dockerfile, relative to the image's /opt/newsdesk."""
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    copies = {}
    for line in re.findall(r"^COPY\s+(.+)$", text, flags=re.MULTILINE):
        *sources, destination = [part for part in line.split() if not part.startswith("--")]
        for source in sources:
            copies[source] = destination
    return copies


def test_the_image_holds_every_folder_airflow_and_the_package_read():
    from newsdesk import config
    from newsdesk.airflow.runner import airflow_env

    env = airflow_env()
    needed = {
        Path(env["AIRFLOW__CORE__DAGS_FOLDER"]),
        Path(env["AIRFLOW__CORE__PLUGINS_FOLDER"]),
        config.DBT_PROJECT_DIR,
        config.EXPECTATIONS_DIR,
        Path(config.__file__).parents[1],
    }
    copied = {source.rstrip("/") for source in dockerfile_copies()}
    for folder in needed:
        assert folder.relative_to(REPO_ROOT).as_posix() in copied, f"the image lacks {folder.relative_to(REPO_ROOT)}"
    # Airflow in the image and in compose looks for DAGs and plugins where the image put them.
    common = compose()["x-airflow-common"]["environment"]
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    for setting, folder in (("AIRFLOW__CORE__DAGS_FOLDER", "dags"), ("AIRFLOW__CORE__PLUGINS_FOLDER", "plugins")):
        assert common[setting] == f"/opt/newsdesk/{folder}"
        assert f"{setting}=/opt/newsdesk/{folder}" in text
