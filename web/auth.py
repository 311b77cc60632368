"""The standing agency's login: accounts from the settings (Argon2 hashes), sessions in a signed cookie.

No account configured means no administrator's side at all (`Admins.enabled` is False).
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import SecretStr

SESSION_COOKIE = "thidua_quan_tri"
SESSION_SALT = "thidua.admin-session.v1"
SESSION_AGE_S = 8 * 3600
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))  # checked for unknown names too, so timing tells nothing


def hash_password(password: str) -> str:
    """The Argon2id hash of a password, for THIDUA_ADMIN_USERS."""
    return _HASHER.hash(password)


def bad_hashes(users: Mapping[str, SecretStr]) -> list[str]:
    """The account names whose configured value is not an Argon2 hash."""
    return [name for name, value in users.items() if not value.get_secret_value().startswith("$argon2")]


@dataclass(frozen=True)
class AdminSession:
    name: str
    sid: str  # a random id: what the session's forms are bound to


class Admins:
    """The configured administrators and their sessions."""

    def __init__(self, users: Mapping[str, SecretStr], keys: Sequence[bytes]) -> None:
        self._users = {name: value.get_secret_value() for name, value in users.items()}
        self._serializer = URLSafeTimedSerializer(list(keys), salt=SESSION_SALT)

    @property
    def enabled(self) -> bool:
        return bool(self._users)

    def verify(self, name: str, password: str) -> bool:
        """Whether `password` is `name`'s (Argon2, same cost for unknown names)."""
        try:
            return _HASHER.verify(self._users.get(name, _DUMMY), password) and name in self._users
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def cookie(self, name: str) -> str:
        """A new session of `name`, as the cookie's value."""
        return self._serializer.dumps([name, secrets.token_urlsafe(12)])

    def session(self, cookie: str | None) -> AdminSession | None:
        """The session a cookie carries, if it is ours, less than 8 hours old and its account still exists."""
        if not cookie:
            return None
        try:
            name, sid = self._serializer.loads(cookie, max_age=SESSION_AGE_S)
        except (BadData, ValueError, TypeError):
            return None
        return AdminSession(name, sid) if isinstance(name, str) and name in self._users and isinstance(sid, str) else None
