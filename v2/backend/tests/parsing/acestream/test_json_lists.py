from app.parsing.acestream import ScrapedChannel, extract_channels
from tests.parsing.acestream.samples import ID_B, ID_C, ID_D, SOURCE


def test_a_w3u_json_list_is_read_with_titles_logos_and_groups() -> None:
    w3u_json = f"""{{"name": "My list", "groups": [{{"name": "Sports", "stations": [
      {{"name": "ESPN", "image": "logos/espn.png", "url": "acestream://{ID_C}"}},
      {{"name": "Fox", "url": "http://127.0.0.1:6878/ace/getstream?id={ID_D}"}}]}}]}}"""

    assert extract_channels(w3u_json, source_url="http://host/lists/list.w3u") == [
        ScrapedChannel(
            content_id=ID_C,
            name="ESPN",
            tvg_logo="http://host/lists/logos/espn.png",
            group_title="Sports",
        ),
        ScrapedChannel(content_id=ID_D, name="Fox", group_title="Sports"),
    ]


def test_hostile_json_of_1_mb_nested_500_000_deep_is_parsed() -> None:
    deep_json = "[" * 500_000 + f'"acestream://{ID_B}"' + "]" * 500_000

    assert [c.content_id for c in extract_channels(deep_json, source_url=SOURCE)] == [ID_B]
