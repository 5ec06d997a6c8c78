"""Map the identity context's classes onto its tables."""

from domain.identity.accounts import Client, Department, User
from domain.identity.sessions import AuthSession, ClientToken, RefreshToken
from domain.identity.throttle import LoginThrottle, SourceThrottle
from infrastructure.db.metadata import mapper_registry
from infrastructure.db.tables import identity as t


def map_identity() -> None:
    mapper_registry.map_imperatively(Department, t.departments, version_id_col=t.departments.c.version)
    mapper_registry.map_imperatively(User, t.users, version_id_col=t.users.c.version)
    mapper_registry.map_imperatively(Client, t.clients, version_id_col=t.clients.c.version)
    mapper_registry.map_imperatively(AuthSession, t.auth_sessions)
    mapper_registry.map_imperatively(RefreshToken, t.refresh_tokens)
    mapper_registry.map_imperatively(ClientToken, t.client_tokens)
    mapper_registry.map_imperatively(LoginThrottle, t.login_throttle)
    mapper_registry.map_imperatively(SourceThrottle, t.login_source_throttle)
