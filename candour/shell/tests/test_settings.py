"""Production mode: configuration from the environment, and `check --deploy` with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env.update({"CANDOUR_VAR_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "CANDOUR_ENV": "production",
    "SECRET_KEY": "x7!k2#q9zL@p4$Vw8^mN3&rT6*yB1(cF5)hJ0-sD+gA_eU=iO" + "Q" * 10,
    "ALLOWED_HOSTS": "complaints.example.gov.uk",
    "DATABASE_URL": "sqlite:///{tmp}/prod.sqlite3",
}


def test_production_passes_check_deploy_with_no_warnings(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": PRODUCTION["DATABASE_URL"].format(tmp=tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["DATABASE_URL"] = env["DATABASE_URL"].format(tmp=tmp_path)
    result = run_manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_generates_and_keeps_its_secret_key(tmp_path):
    first = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={},
        tmp_path=tmp_path,
    )
    second = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={},
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
