"""Progress cues in words: every colour comes with the threshold that gave it."""

from __future__ import annotations

from rrn_desktop.content.loader import training_standards
from rrn_desktop.core.scoring import band_text, describe_change


def test_rag_is_always_in_words_with_its_threshold() -> None:
    pack = training_standards()
    green, amber, red = pack.rag
    assert band_text(green, pack.rag) == "Green (80% or more)"
    assert band_text(amber, pack.rag) == "Amber (50% to under 80%)"
    assert band_text(red, pack.rag) == "Red (below 50%)"
    assert band_text(None, pack.rag) == "Not scored yet"


def test_change_is_described_in_points() -> None:
    assert describe_change(75.0, 39.0) == "+36 points"
    assert describe_change(50.0, 50.0) == "no change"
    assert describe_change(40.0, 60.0) == "-20 points"
    assert describe_change(40.0, None) == "no earlier score"
    assert describe_change(None, 60.0) == "not scored yet"
