"""More than one machine: gunicorn as configured for production, and a compose stack
whose web and worker services scale behind one proxy."""

import json
import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_runs_two_processes_of_four_threads_by_default(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 4, "gthread")
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["accesslog"] == "-"


def test_gunicorn_takes_its_sizes_and_address_from_the_environment(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="8", GUNICORN_BIND="127.0.0.1:9000"
    )
    assert (conf["workers"], conf["threads"], conf["bind"]) == (5, 8, "127.0.0.1:9000")


def test_only_the_proxy_publishes_a_port_so_web_can_be_scaled():
    services = COMPOSE["services"]
    assert "ports" not in services["web"]
    assert "8000" in [str(port) for port in services["web"]["expose"]]
    assert services["proxy"]["ports"] == ["8000:8000"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_no_service_that_scales_has_a_fixed_container_name():
    for name in ("web", "worker"):
        assert "container_name" not in COMPOSE["services"][name], name


def test_web_and_the_image_start_gunicorn_with_the_production_configuration():
    command = ["gunicorn", "--config", "gunicorn.conf.py", "hub_eu.wsgi:application"]
    assert COMPOSE["services"]["web"]["command"] == command
    assert f"CMD {json.dumps(command)}" in (ROOT / "Dockerfile").read_text()


def test_the_per_address_limits_count_the_client_behind_the_proxy():
    assert COMPOSE["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
