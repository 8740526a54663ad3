"""What the AceStream reader tests share: a source URL, four ids, and the names a text yields."""

from app.parsing.acestream import extract_channels

SOURCE = "https://lists.example.org/sports/index.html"
ID_A = "0123456789abcdef0123456789abcdef01234567"
ID_B = "b" * 40
ID_C = "c" * 40
ID_D = "d" * 40


def names(text: str) -> dict[str, str | None]:
    return {
        channel.content_id: channel.name for channel in extract_channels(text, source_url=SOURCE)
    }
