"""Masking personal data for roles that do not need it (AVG/GDPR data minimisation)."""


def mask_name(name: str) -> str:
    """ "Jan Jansen" -> "J. J."; enough to tell two people apart, not to know them."""
    return " ".join(f"{part[0]}." for part in name.split() if part) or "…"


def mask_email(email: str | None) -> str | None:
    if email is None:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def mask_phone(phone: str | None) -> str | None:
    return None if phone is None else f"…{phone[-2:]}"
