"""With nothing set, the app runs on embedded defaults; the environment overrides them."""

from __future__ import annotations

from app.config import load_config


def test_embedded_defaults(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_BROKER_URL", "GS_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'greenshelf.sqlite'}"
    assert config["CELERY_BROKER_URL"].startswith("sqla+sqlite:///")
    assert config["SESSION_COOKIE_SECURE"] is False
    # A secret is made once per installation and then kept.
    assert config["SECRET_KEY"] == load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert len(config["SECRET_KEY"]) > 40


def test_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/greenshelf")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/1")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("GS_PRODUCTION", "1")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql://db/greenshelf"
    assert config["CELERY_BROKER_URL"] == "redis://cache:6379/1"
    assert config["SECRET_KEY"] == "from-env"
    assert config["SESSION_COOKIE_SECURE"] is True
