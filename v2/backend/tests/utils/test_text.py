import pytest

from app.utils.text import clean_optional, clean_text


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("La 1 HD", "La 1 HD"),
        ("a\x00b", "a\ufffdb"),
        ("http://logo/\x1b[2J.png", "http://logo/\ufffd[2J.png"),
        ("del\x7f c1\x9b", "del\ufffd c1\ufffd"),
        # A line break inside a name would end its M3U line early.
        ("Line\r\nbreak\ttab\x85nel\u2028ls", "Line  break tab nel ls"),
        ("", ""),
    ],
)
def test_a_single_line_value_has_no_control_characters_left(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_multiline_text_keeps_its_lines_and_tabs() -> None:
    trace = "Traceback:\n\tFile x\r\nValueError: bad \x00 byte\x0c"

    assert clean_text(trace, multiline=True) == (
        "Traceback:\n\tFile x\r\nValueError: bad \ufffd byte\ufffd"
    )


def test_an_absent_value_stays_absent() -> None:
    assert clean_optional(None) is None
    assert clean_optional("a\x00") == "a\ufffd"
