"""The prose of the API description: written in Bahasa Indonesia, shown translated.

The OpenAPI description and the Postman collection carry the Indonesian text as plain
``str``; the documentation pages show it in the reader's language. ``_("…")`` marks a text
for ``makemessages`` (xgettext reads ``_(…)`` calls) and remembers how the text was made, so
that a text built with values (an operator list, a field name) is translated from its
message, the values kept as they are (they are wire values).
"""

from __future__ import annotations

from django.utils.translation import gettext

# Indonesian text → (message, values) of every marked text.
_MADE: dict[str, tuple[str, dict[str, str]]] = {}


def _(message: str, **values: str) -> str:
    """The Indonesian text of ``message`` (formatted with ``values``), marked."""
    text = message % values if values else message
    _MADE[text] = (message, values)
    return text


def is_marked(text: str) -> bool:
    return text in _MADE


def translated(text: str) -> str:
    """``text`` in the active language; a value that is itself a marked text (a field's
    description inside a longer one) is translated too."""
    message, values = _MADE.get(text, (text, {}))
    result = gettext(message)
    if values:
        result = result % {
            name: translated(value) if is_marked(value) else value
            for name, value in values.items()
        }
    return result
