"""Indonesian mobile numbers: accepted as 08…, 628…, +62 8… (spaces, dashes, dots, brackets)
and stored in one normal form, +628…."""

import re

_SEPARATORS = re.compile(r"[\s\-.()]")
# ASCII digits only: \d alone would also take full-width or Arabic-Indic digits.
_MOBILE = re.compile(r"^\+628[1-9][0-9]{6,10}$")


def normalize_phone(raw: str) -> str | None:
    """Return the +628… form of an Indonesian mobile number, or None if it is not one."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("+62"):
        number = "+62" + number[3:]
    elif number.startswith("62"):
        number = "+" + number
    elif number.startswith("0"):
        number = "+62" + number[1:]
    else:
        return None
    return number if _MOBILE.match(number) else None


def looks_like_phone(raw: str) -> bool:
    """True when ``raw`` is written like a phone number (digits, +, separators only)."""
    return bool(raw) and bool(re.fullmatch(r"[+0-9\s\-.()]+", raw.strip()))
