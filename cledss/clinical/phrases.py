"""Sentences the clinical core writes, translatable without the core importing Django.

The core builds ``Phrase`` objects: an English message with named parameters. A phrase is
worded only when it is turned into text, through the translator the web layer installs
(Django's gettext), so the same assessment reads in the language of each request.
Parameters may be phrases themselves, and are translated in turn; a ``Decimal`` parameter is
written with the language's decimal mark (22.7 in English, 22,7 in Spanish), the figure itself
unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .stats import number


def _as_written(message: str) -> str:
    return message


_translate: Callable[[str], str] = _as_written
_decimal_mark: Callable[[], str] = lambda: "."


def set_translator(translate: Callable[[str], str], decimal_mark: Callable[[], str] = lambda: ".") -> None:
    global _translate, _decimal_mark
    _translate, _decimal_mark = translate, decimal_mark


@dataclass(frozen=True)
class Digits:
    """A number already written to its precision ("91.0"), worded with the active language's decimal mark."""

    text: str

    def __str__(self) -> str:
        return self.text.replace(".", _decimal_mark())


def written(value: Decimal | int) -> str:
    """A number as the active language writes it: its figures as reported, its decimal mark the language's."""
    return str(Digits(number(value)))


def _worded(value: object) -> str:
    return written(value) if isinstance(value, Decimal) else str(value)


@dataclass(frozen=True)
class Phrase:
    message: str
    params: tuple[tuple[str, object], ...] = ()

    def bind(self, **params) -> "Phrase":
        """The same message with its parameters filled in, for messages chosen from a table."""
        return Phrase(self.message, tuple(params.items()))

    def __str__(self) -> str:
        message = _translate(self.message)
        if not self.params:
            return message
        return message % {name: _worded(value) for name, value in self.params}


def _(message: str, **params) -> Phrase:
    """Mark a message for translation (xgettext's default keyword) and bind its parameters."""
    return Phrase(message, tuple(params.items()))



@dataclass(frozen=True)
class Joined:
    """Phrases shown one after another, each worded in the active language when shown."""

    parts: tuple["Phrase | str | Joined", ...]
    separator: str = "; "

    def __str__(self) -> str:
        return self.separator.join(str(part) for part in self.parts)


def listing(items: tuple) -> "Phrase | str":
    """Items as a sentence lists them: 'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return items[0] if items else ""
    return _("%(items)s and %(last)s", items=Joined(items[:-1], ", "), last=items[-1])
