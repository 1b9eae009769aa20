"""Read the triage page's notice, its field errors and its opened cases from the markup."""

import html
import re


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def alert_of(page: str) -> str:
    """The words of the notice at the top after a failed routing ("" when there is none)."""
    found = re.search(r'<div [^>]*role="alert" id="triage-alert"[^>]*>(.*?)</div>', page, re.S)
    return _text(found.group(1)) if found else ""


def error_of(page: str, reference: str, field: str) -> str:
    """The error shown next to a field of a case's routing form ("" when there is none)."""
    found = re.search(rf'id="case-{reference}-{field}-error">(.*?)</p>', page, re.S)
    return _text(found.group(1)) if found else ""


def opened_cases(page: str) -> list[str]:
    """The references of the cases shown open, their routing form visible."""
    return re.findall(r'<details id="case-([^"]+)" open>', page)
