"""The production stack in docker-compose.yml: what must be shared or kept between
containers is on a volume."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())


def test_uploaded_files_are_on_a_volume_shared_by_web_and_worker():
    for service in ("web", "worker"):
        assert "media:/app/var/media" in COMPOSE["services"][service]["volumes"], service
    assert "media" in COMPOSE["volumes"]


def test_the_backup_service_dumps_with_the_databases_own_postgres_version():
    services = COMPOSE["services"]
    assert services["backup"]["image"] == services["db"]["image"]
    assert any(v.startswith("backups:") for v in services["backup"]["volumes"])
