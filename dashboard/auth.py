"""Sign-in on the board: the gemeente's OpenID Connect provider through Streamlit's own
st.login / st.user, roles and gemeenten per user, and the audit trail of what they do.

Without a provider the board runs only on a loopback address, as a marked demo in which the
local user holds every role. Any other bind address refuses to start.
"""

from __future__ import annotations

import streamlit as st

from dashboard.common import resources, session_user
from onrustradar.governance.access import AccessDenied, User, allowed, demo_user, is_loopback, user_from_claims
from onrustradar.governance.audit import AuditError, audit_log_for


def audit(config, user: User | None, action: str, object: str = "", result: str = "ok", detail=None) -> None:
    """Append to the audit trail, anchored in this board's store. When the trail cannot take
    the row the page stops here, before the action."""

    _, store = resources(str(config.path))
    try:
        audit_log_for(config, store).append(
            actor=user.id if user else "anoniem",
            role=user.role_label if user else "-",
            action=action,
            object=object,
            result=result,
            detail=detail,
        )
    except AuditError as exc:
        st.error("Deze handeling is niet uitgevoerd: de audittrail kan haar niet vastleggen.")
        st.text(str(exc))
        st.stop()


def _claims() -> dict:
    try:
        return st.user.to_dict()
    except AttributeError:  # older Streamlit: st.user behaves as a mapping
        return dict(st.user)


def sign_in(config) -> User | None:
    """The user of this session, or None after rendering why there is none (then stop)."""
    settings = config.settings
    if settings.auth.provider is None:
        address = st.get_option("server.address")
        if not is_loopback(address or "0.0.0.0"):
            st.error(
                "Dit bord weigert te starten: het luistert op een ander adres dan localhost en er is "
                "geen identiteitsprovider (auth.provider) ingesteld."
            )
            return None
        st.warning(
            "**Demomodus** — geen aanmelding: dit bord is alleen op deze computer bereikbaar en "
            "de lokale gebruiker heeft alle rollen.",
            icon="🧪",
        )
        return demo_user(settings.gemeenten)
    if not st.user.is_logged_in:
        # Straight on to the gemeente's identity provider; it sends the browser back here.
        st.login()
        st.stop()
    user = user_from_claims(_claims(), settings.auth, settings.gemeenten)
    if user is None:
        ident = str(_claims().get("email") or _claims().get("sub") or "onbekend")
        if not st.session_state.get("audited_denied"):
            audit(config, None, "signin", ident, "geweigerd", "geen rol of gemeente voor deze gebruiker")
            st.session_state["audited_denied"] = True
        st.error("U bent aangemeld, maar heeft geen rol of gemeente in Onrustradar. Vraag de beheerder om toegang.")
        if st.button("Afmelden"):
            st.logout()
        return None
    if st.session_state.get("audited_signin") != user.id:
        audit(config, user, "signin", user.id, "ok", {"gemeenten": list(user.gemeenten)})
        st.session_state["audited_signin"] = user.id
    return user


def guard(config, user: User, action: str, object: str = "") -> bool:
    """Whether `user` may take `action`; a refusal is shown and written to the audit log."""
    if allowed(user, action):
        return True
    audit(config, user, action, object, "geweigerd")
    st.error("U heeft geen toegang tot dit onderdeel.")
    return False


__all__ = ["AccessDenied", "audit", "guard", "sign_in"]


def record(action: str, object: str = "", result: str = "ok", detail=None) -> None:
    """Write what the signed-in user did to the audit trail."""

    config, _ = resources(st.session_state["_config_path"])
    audit(config, session_user(), action, object, result, detail)
