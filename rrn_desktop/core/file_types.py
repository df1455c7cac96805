"""Which evidence files the app may hand to the operating system to open, and which it may not.

The operating system chooses what to do with a file by its extension: a ".pdf" goes to a PDF
reader, but a ".hta", ".exe", ".lnk" or ".js" is run. So evidence is kept, in the data folder,
under its own extension only when that extension is on an allow-list of document and picture
types; anything else is kept under a neutral extension that no program claims (".hta-blocked",
or ".blocked"). The first bytes are read too, because a name can lie: a Windows program called
"Training plan 2025.pdf" is kept as ".pdf-blocked", and the app warns before anything is done
with it. Opening judges the stored file again, first bytes and all, so evidence kept by an older
version under its own extension is caught as well.

Web pages (.htm, .html, .xhtml, .mht) and SVG pictures are not on the list: a browser runs the
scripts inside them, and an SVG is a web page in all but name. Office files that may hold macros
(.docm, .xlsm, .pptm) are left off for the same reason; the macro-free forms are on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

NEUTRAL_SUFFIX = ".blocked"
BLOCKED_MARK = "-blocked"
# An extension that can take BLOCKED_MARK and still fit a portable stored name (20 characters).
_PLAIN_SUFFIX = re.compile(r"\.[0-9a-z_]{1,11}")
# How many leading bytes are enough to recognise every kind below.
HEAD_BYTES = 512

SAFE_SUFFIXES = frozenset(
    {
        # documents
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".txt",
        ".md",
        ".pages",
        # spreadsheets and data
        ".csv",
        ".xls",
        ".xlsx",
        ".ods",
        ".numbers",
        # presentations
        ".ppt",
        ".pptx",
        ".odp",
        ".key",
        # e-mail
        ".msg",
        ".eml",
        # pictures
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".bmp",
        ".tif",
        ".tiff",
        ".webp",
        ".heic",
        ".heif",
        # sound and video (a recorded debrief, a photo taken as a video)
        ".mp3",
        ".m4a",
        ".wav",
        ".mp4",
        ".mov",
    }
)

# What a type that is not on the list really is, in words, for the warning before opening it.
_KINDS_BY_SUFFIX = {
    "a Windows program": (
        ".exe .com .scr .pif .cpl .msi .msp .dll .sys .jar .appx .msix .application "
        ".gadget .reg .inf"
    ),
    "a shortcut to another file or program": ".lnk .url .scf .website .desktop",
    "an HTML application": ".hta",
    "a script": ".js .jse .vbs .vbe .wsf .wsh .ps1 .psm1 .bat .cmd .sh .py .pl .rb .applescript",
    "a web page": ".htm .html .xhtml .mht .mhtml .shtml .svg .svgz",
    "an Office document with macros": ".docm .dotm .xlsm .xltm .xlam .pptm .potm .ppam",
    "a disk image": ".iso .img .vhd .vhdx",
    "a compressed folder": ".zip .7z .rar .cab .gz .tar",
}
_KIND_OF_SUFFIX = {
    suffix: kind for kind, suffixes in _KINDS_BY_SUFFIX.items() for suffix in suffixes.split()
}

_PROGRAM = "a Windows program"
_SHORTCUT = "a Windows shortcut"
_SCRIPT = "a script"
_WEB = "a web page or HTML application"
# Leading bytes that mean a program, whatever the file is called.
_MAGIC = (
    (b"MZ", _PROGRAM),
    (b"\x4c\x00\x00\x00\x01\x14\x02\x00", _SHORTCUT),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a Mac program"),
    (b"\xce\xfa\xed\xfe", "a Mac program"),
    (b"\xca\xfe\xba\xbe", "a Mac or Java program"),
    (b"#!", _SCRIPT),
)
# Text that starts a web page, an HTML application or a script block, after any spaces.
_WEB_STARTS = (b"<!doctype html", b"<html", b"<hta:", b"<script", b"<svg", b"<head", b"<body")
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def sniffed_kind(head: bytes) -> str | None:
    """What the first bytes of a file say it is, when that is a program or something that runs
    one; None for anything else (which is left to the extension)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    text = head
    for mark in _BYTE_ORDER_MARKS:
        text = text.removeprefix(mark)
    if b"\x00" in text[:4]:
        text = text.replace(b"\x00", b"")  # text saved as UTF-16: a zero beside every letter
    if text.lstrip().lower().startswith(_WEB_STARTS):
        return _WEB
    return None


@dataclass(frozen=True)
class Risk:
    """Why a file must not be handed to the operating system to open."""

    kind: str  # what it really is: "a Windows program"
    by_contents: bool  # its first bytes say so, whatever its name says

    def is_what(self, original_name: str) -> str:
        """What the file is, as a phrase: 'is really a Windows program' when its name claims a
        document, else 'is a shortcut to another file or program'."""
        claims_document = risk_of(original_name, b"") is None
        return f"is {'really ' if self.by_contents or claims_document else ''}{self.kind}"

    def warning(self, original_name: str) -> str:
        """The warning shown instead of opening it, naming the file as the person knows it."""
        return (
            f"The file '{original_name}' {self.is_what(original_name)}, not a document or "
            "picture. Opening it could run it."
        )


def _blocked(suffix: str) -> bool:
    return suffix == NEUTRAL_SUFFIX or suffix.endswith(BLOCKED_MARK)


def risk_of(name: str, head: bytes) -> Risk | None:
    """The risk in opening a file kept under ``name`` with these first bytes; None when it is
    a document or picture by both its extension and its contents. A name kept apart by this
    module (".hta-blocked") is judged by the extension it was kept apart for."""
    if kind := sniffed_kind(head):
        return Risk(kind, by_contents=True)
    suffix = suffix_of(name)
    if suffix in SAFE_SUFFIXES:
        return None
    if _blocked(suffix):
        suffix = suffix.removesuffix(BLOCKED_MARK)
        if suffix in SAFE_SUFFIXES or suffix == NEUTRAL_SUFFIX:
            # Kept apart for contents that no longer say what they did, or for an odd name.
            return Risk("a file of a type RRN Self-Audit does not open", by_contents=False)
    if not suffix:
        return Risk("a file with no type in its name", by_contents=False)
    return Risk(_KIND_OF_SUFFIX.get(suffix, f"a '{suffix}' file"), by_contents=False)


def stored_suffix(name: str, head: bytes) -> str:
    """The extension a file called ``name`` with these first bytes is kept under: its own when
    that is on the allow-list and the contents agree; otherwise its own with BLOCKED_MARK after
    it (".hta-blocked"), which no program claims, or NEUTRAL_SUFFIX for an odd extension."""
    suffix = suffix_of(name)
    if risk_of(name, head) is None or _blocked(suffix):
        return suffix
    return suffix + BLOCKED_MARK if _PLAIN_SUFFIX.fullmatch(suffix) else NEUTRAL_SUFFIX


def opening_risk(stored: Path) -> Risk | None:
    """The risk in opening a stored evidence file, judged on the file itself, so evidence kept
    by an older version under its own extension (".hta") is caught as well."""
    return risk_of(stored.name, read_head(stored))


def read_head(path: Path) -> bytes:
    """The first HEAD_BYTES of a file (fewer if it is shorter)."""
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)
