"""Limits on the shape of JSON read from a file the app did not write itself.

A parser given JSON nested thousands of levels deep runs out of stack (Python's ``json`` raises
RecursionError), and one given a number with thousands of digits either builds it (Python's ints
have no upper bound, but SQLite's stop at 2**63 - 1) or refuses it with a message about digits.
Neither is a plain answer, so the shape is measured first, without parsing: quoted text is set
aside, then the brackets are counted and the digits in a row.
"""

from __future__ import annotations

from itertools import accumulate

MAX_DEPTH = 64
# 18 digits stay below 2**63 (about 9.2e18), the largest whole number SQLite keeps.
MAX_DIGITS = 18

_WEIGHT = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _WEIGHT)
_DIGITS_AS_ZEROS = bytes(b"0"[0] if byte in b"0123456789" else b" "[0] for byte in range(256))
_LONG_NUMBER = b"0" * (MAX_DIGITS + 1)


def _outside_quotes(data: bytes) -> bytes:
    """The JSON with the text inside quotes taken out (a bracket in a name is not nesting)."""
    # Escapes pair up from the left, as replace() finds them: what is left of an escaped
    # backslash or quote is gone, so every quote that remains opens or closes a string.
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(plain.split(b'"')[0::2])


def shape_problem(data: bytes) -> str | None:
    """Why this JSON is outside the limits, as a phrase ("is nested more than 64 levels deep");
    None when it is within them (the parser then says whether it is JSON at all)."""
    unquoted = _outside_quotes(data)
    if _LONG_NUMBER in unquoted.translate(_DIGITS_AS_ZEROS):
        return f"holds a number with more than {MAX_DIGITS} digits"
    brackets = unquoted.translate(None, _NOT_BRACKETS)
    if max(accumulate(map(_WEIGHT.__getitem__, brackets)), default=0) > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} levels deep"
    return None
