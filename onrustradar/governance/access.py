"""Who may do what: roles, the actions each role may take, and the signed-in user.

Roles: `lezer` (burgemeester, OOV: signals and digest), `analist` (keywords, feedback,
watches), `beheerder` (sources, users, config), `fg` (audit log, subject requests, approvals).
A user holds one or more roles and sees only their own gemeenten; the board checks
`allowed(user, action)` before every page and action, and the store is only ever queried
through a scope built from `user.gemeente_codes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onrustradar.core.gazetteer import gazetteer

ROLES = ("lezer", "analist", "beheerder", "fg")

ROLE_LABELS = {
    "lezer": "lezer (burgemeester, OOV)",
    "analist": "analist",
    "beheerder": "beheerder",
    "fg": "functionaris gegevensbescherming",
}

# action -> roles that may take it
PERMISSIONS: dict[str, frozenset[str]] = {
    "signals.view": frozenset({"lezer", "analist"}),
    "signals.status": frozenset({"lezer", "analist"}),
    "signals.export": frozenset({"lezer", "analist"}),
    "signals.triage": frozenset({"lezer", "analist"}),  # assign, notes, hand-over
    "signals.merge": frozenset({"analist"}),  # merge two signals, split posts off one
    "posts.search": frozenset({"lezer", "analist"}),
    "digest.view": frozenset({"lezer", "analist"}),
    "meldingen.add": frozenset({"lezer", "analist"}),  # the OOV-medewerker records eigen meldingen
    "feedback.add": frozenset({"analist"}),
    "keywords.edit": frozenset({"analist"}),
    "watches.view": frozenset({"analist", "beheerder", "fg"}),
    "watches.edit": frozenset({"analist"}),
    "sources.view": frozenset({"beheerder"}),
    "users.view": frozenset({"beheerder"}),
    "audit.view": frozenset({"fg"}),
    "audit.export": frozenset({"fg"}),
    "subject.request": frozenset({"fg"}),
    "keywords.approve": frozenset({"fg"}),
}


class AccessDenied(PermissionError):
    """An action the user's roles do not permit."""

    pass


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in person: their id, roles and the gemeenten they may see."""

    id: str  # e-mail or subject from the identity provider; "demo" in demo mode
    roles: frozenset[str]
    gemeenten: tuple[str, ...]  # official names
    gemeente_codes: frozenset[str] = field(default_factory=frozenset)
    demo: bool = False

    @property
    def role_label(self) -> str:
        return ",".join(sorted(self.roles)) or "-"


def allowed(user: User | None, action: str) -> bool:
    """Whether the user's roles permit the action (no user: never)."""
    if user is None:
        return False
    return bool(PERMISSIONS[action] & user.roles)


def require(user: User | None, action: str) -> None:
    """AccessDenied unless the user may do the action."""
    if not allowed(user, action):
        raise AccessDenied(action)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def user_from_claims(claims: Mapping[str, Any], auth, deployment_gemeenten: list[str]) -> User | None:
    """The user for an identity provider's claims, or None when they have no role here.

    Roles and gemeenten come from the `users` list in config when the e-mail (or subject) is
    listed there, otherwise from the configured claims. Gemeenten outside this deployment are
    ignored, so a claim cannot widen what a user sees.
    """

    ident = str(claims.get("email") or claims.get("sub") or "").strip()
    if not ident:
        return None
    entry = next(
        (u for u in auth.users if u.email.casefold() in {ident.casefold(), str(claims.get("sub", "")).casefold()}), None
    )
    if entry is not None:
        roles, names = list(entry.roles), list(entry.gemeenten)
    else:
        roles = _as_list(claims.get(auth.roles_claim))
        names = _as_list(claims.get(auth.gemeenten_claim))
    roles = [r for r in roles if r in ROLES]
    official = []
    for name in names:
        found = gazetteer().gemeente(name)
        if found is not None and found.name in deployment_gemeenten and found.name not in official:
            official.append(found.name)
    if not roles or not official:
        return None
    codes = frozenset(gazetteer().code(n) for n in official)
    return User(id=ident, roles=frozenset(roles), gemeenten=tuple(official), gemeente_codes=codes)


def demo_user(deployment_gemeenten: list[str]) -> User:
    """The user of a local demo board: every role, the deployment's gemeenten."""

    return User(
        id="demo",
        roles=frozenset(ROLES),
        gemeenten=tuple(deployment_gemeenten),
        gemeente_codes=frozenset(gazetteer().code(n) for n in deployment_gemeenten),
        demo=True,
    )


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_loopback(address: str) -> bool:
    """Whether an address is this machine only (127.0.0.0/8, ::1, localhost)."""
    return address.strip() in LOOPBACK or address.startswith("127.")
