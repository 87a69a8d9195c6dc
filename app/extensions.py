"""The Flask extension objects, created once and bound in ``create_app``."""

from __future__ import annotations

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession

from app import events
from app.models.base import Base


class AppSession(FlaskSession):
    """The session every service uses: a commit runs the domain events' after-commit
    subscribers that the committed transaction made due (see ``app.events``)."""

    def commit(self) -> None:
        super().commit()
        events.run_due(self)


db = SQLAlchemy(model_class=Base, session_options={"class_": AppSession})
migrate = Migrate()
login_manager = LoginManager()
api = Api()
