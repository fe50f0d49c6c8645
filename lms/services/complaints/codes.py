"""Reading a cell of the complaint register as a code of JR/T 0169-2018
(``quizzes.ClassificationCode``) of one dimension: 受理渠道 (A), 业务类别 (B) or 投诉原因 (C).

A cell may hold, compared without case, surrounding spaces or full-width forms:

- the code, ``C.5`` (``C-5`` too);
- the name, ``信息披露``, when exactly one code of the dimension has it;
- the code and the name, ``C.5 信息披露`` (the name must be that code's);
- a path of names from the top or ending anywhere below it, ``前台业务渠道/电子渠道/移动客户端``
  or ``电子渠道/移动客户端`` (``/`` or ``>`` between the names), for a name that several codes
  share (``其他``).

Unknown or ambiguous text, a code of another dimension and a code no longer in use are errors,
as translated messages naming the column and the value. ``CodeBook`` reads every code once (one
query), so a whole import resolves its cells without another query."""

import re
import unicodedata

from django.utils.translation import gettext as _

from quizzes.models import ClassificationCode

PATH_SEPARATOR = re.compile(r"\s*[/>]\s*")
CODE_AND_NAME = re.compile(r"(?P<code>[A-Za-z][\w.\-]*)\s+(?P<name>\S.*)")


class CodeError(ValueError):
    """A cell that is not exactly one code in use; the message is translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def normalized(text):
    """The text as compared: NFKC (full-width forms), single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


def _code_key(text):
    return text.upper().replace("-", ".")


class CodeBook:
    """Every classification code, read once, and the lookups a cell needs."""

    def __init__(self, codes=None):
        if codes is None:
            codes = ClassificationCode.objects.only(
                "pk", "dimension", "code", "name", "parent_id", "is_active"
            )
        self.codes = list(codes)
        by_pk = {code.pk: code for code in self.codes}
        self.by_code = {_code_key(code.code): code for code in self.codes}
        #: ``(dimension, (name, …))`` → codes: every tail of every code's path of names.
        self.by_names = {}
        for code in self.codes:
            names, node = [], code
            while node is not None:
                names.insert(0, normalized(node.name))
                node = by_pk.get(node.parent_id)
            for start in range(len(names)):
                self.by_names.setdefault((code.dimension, tuple(names[start:])), []).append(code)

    def resolve(self, dimension, text, column):
        """The code of ``dimension`` that ``text`` names; CodeError otherwise. ``column`` is the
        column (or field) named in the message."""
        value = normalized(text)
        if not value:
            raise CodeError(_("%(column)s is missing.") % {"column": column})
        code = self.by_code.get(_code_key(value))
        if code is None:
            code = self._by_code_and_name(value, column) or self._by_names(dimension, value, column)
        if code.dimension != dimension:
            raise CodeError(
                _("%(column)s “%(value)s” is a code of another dimension (%(code)s).")
                % {"column": column, "value": value, "code": code}
            )
        if not code.is_active:
            raise CodeError(
                _("%(column)s “%(value)s”: the code %(code)s is no longer in use.")
                % {"column": column, "value": value, "code": code}
            )
        return code

    def _by_code_and_name(self, value, column):
        match = CODE_AND_NAME.fullmatch(value)
        code = match and self.by_code.get(_code_key(match["code"]))
        if not code:
            return None
        if normalized(code.name) != match["name"]:
            raise CodeError(
                _("%(column)s “%(value)s”: code %(code)s is “%(name)s”.")
                % {"column": column, "value": value, "code": code.code, "name": code.name}
            )
        return code

    def _by_names(self, dimension, value, column):
        names = tuple(part for part in PATH_SEPARATOR.split(value) if part)
        found = self.by_names.get((dimension, names), [])
        active = [code for code in found if code.is_active]
        if len(active) == 1 or (len(found) == 1 and not active):
            return active[0] if active else found[0]
        if not found:
            raise CodeError(
                _(
                    "%(column)s “%(value)s” is neither a code nor a name of the classification "
                    "(JR/T 0169-2018 or the bank's own codes)."
                )
                % {"column": column, "value": value}
            )
        raise CodeError(
            _(
                "%(column)s “%(value)s” names several codes (%(codes)s): give the code or the "
                "path, e.g. “%(path)s”."
            )
            % {
                "column": column,
                "value": value,
                "codes": ", ".join(code.code for code in active or found),
                "path": self.path(active[0] if active else found[0]),
            }
        )

    def path(self, code):
        """``前台业务渠道/电子渠道/其他``: the names from the top down to ``code``."""
        by_pk = {item.pk: item for item in self.codes}
        names, node = [], code
        while node is not None:
            names.insert(0, node.name)
            node = by_pk.get(node.parent_id)
        return "/".join(names)
