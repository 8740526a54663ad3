from app.parsing.acestream import ScrapedChannel, extract_channels
from tests.parsing.acestream.samples import ID_A, ID_B, ID_C, ID_D, SOURCE, names


def test_link_text_names_the_id_with_entities_unescaped() -> None:
    page = f"""<ul>
      <li><a href="acestream://{ID_A}">ESPN &amp;  Friends&nbsp;HD</a></li>
      <li><a href='acestream://{ID_B}'>Caf&eacute; TV</a></li>
    </ul>"""

    assert extract_channels(page, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A, name="ESPN & Friends HD"),
        ScrapedChannel(content_id=ID_B, name="Café TV"),
    ]


def test_nested_markup_inside_a_link_is_joined_into_one_name() -> None:
    page = f'<a href="acestream://{ID_A}"><span><b>Sky</b>\n  Sports</span> <i>F1</i></a>'

    assert names(page) == {ID_A: "Sky Sports F1"}


def test_table_row_names_links_whose_text_is_generic() -> None:
    page = f"""<table>
      <tr><td>DAZN 1</td><td><a href="acestream://{ID_A}">Link 1</a></td>
          <td><a href="http://127.0.0.1:6878/ace/getstream?id={ID_B}">Play</a></td></tr>
      <tr><td>Eurosport</td><td><a href="/ace/manifest.m3u8?id={ID_C}">  </a></td></tr>
    </table>"""

    assert names(page) == {ID_A: "DAZN 1", ID_B: "DAZN 1", ID_C: "Eurosport"}


def test_list_item_text_names_a_link_without_text() -> None:
    page = f'<ul><li>beIN Sports <a href="acestream://{ID_A}"><img src="x.png"></a></li></ul>'

    assert names(page) == {ID_A: "beIN Sports"}


def test_text_line_names_an_id_in_html_without_the_url_or_the_separator() -> None:
    page = (
        f"<p>La Liga: acestream://{ID_A}<br>\n"
        f"Premier http://127.0.0.1:6878/ace/getstream?id={ID_B} (backup)</p>"
    )

    assert names(page) == {ID_A: "La Liga", ID_B: "Premier (backup)"}


def test_previous_heading_names_an_id_with_no_text_around_it() -> None:
    page = f"""<h2>Movistar   LaLiga</h2>
      <div><a href="acestream://{ID_A}"><img src="logo.png"></a></div>
      <h3>Ignored: comes after</h3>"""

    assert names(page) == {ID_A: "Movistar LaLiga"}


def test_an_id_with_no_text_at_all_has_no_name() -> None:
    assert names(f'<div><a href="acestream://{ID_A}"></a></div>') == {ID_A: None}


def test_broken_markup_is_closed_as_a_browser_would() -> None:
    page = f"""<ul><li><a href="acestream://{ID_A}">Alpha<li><a href='acestream://{ID_B}'>Beta
      </ul></div></span></tr><a title="x<y" <b>
      <p>Gamma <a href=acestream://{ID_C}><p>Delta acestream://{ID_D}
      <!-- an unterminated comment hides acestream://{"e" * 40}"""

    assert names(page) == {ID_A: "Alpha", ID_B: "Beta", ID_C: "Gamma", ID_D: "Delta"}


def test_nested_list_keeps_the_outer_item_open() -> None:
    page = f"""<ul><li>Outer <a href="acestream://{ID_A}"></a>
      <ul><li>Inner <a href="acestream://{ID_B}"></a></li></ul></li></ul>"""

    assert names(page) == {ID_A: "Outer Inner", ID_B: "Inner"}


def test_ids_in_any_attribute_and_in_entity_encoded_urls_are_found() -> None:
    page = f"""<li data-x="&#97;cestream://{ID_A}">Encoded</li>
      <iframe src="/ace/getstream?foo=1&amp;content_id={ID_B}"></iframe>"""

    assert names(page) == {ID_A: "Encoded", ID_B: None}


def test_script_ids_are_found_unnamed_and_comments_are_skipped() -> None:
    page = f"""<h1>Title</h1><script>var a = "<li>x</li>acestream://{ID_A}";</script>
      <style>p {{ color: red }}</style><!-- <a href="acestream://{ID_B}">Old</a> -->"""

    assert names(page) == {ID_A: None}


def test_hostile_html_of_2_mb_is_parsed() -> None:
    # Each unit makes html.parser (or a careless regex) quadratic; unclosed comment and script
    # swallow the rest of the page, so they come last.
    units = [
        "<a ",
        "<![",
        "</",
        "<?",
        "<ul>",
        "<li>",
        "<p>",
        "&#" + "9" * 5000 + ";",
        f"acestream://{'a' * 39} ",
        f"acestream://{'b' * 41}",
        f"<a href='acestream://{'c' * 39}'>",
    ]
    parts = []
    for index, unit in enumerate(units):
        parts.append(
            "".join(f'<a href="acestream://{index:02x}{n:038x}">N</a>' for n in range(100))
        )
        parts.append(unit * (170_000 // len(unit)))
    page = "".join(parts) + "<script>" + "<!--" * 20_000

    assert len(page) > 2_000_000
    assert len(extract_channels(page, source_url=SOURCE)) == 100 * len(units)


def test_a_link_whose_text_is_its_id_is_named_by_the_text_around_it() -> None:
    page = f"""<ul><li>ESPN <a href="acestream://{ID_A}">{ID_A}</a></li>
      <li><a href="/about/b">Sky Sports F1</a> <a href="acestream://{ID_B}"><i></i></a> {ID_B}</li>
    </ul>
    <div class="streamtext">Server 1: Big Buck Bunny</div>
    <div class="input-group"><input value="{ID_C}"><div><button>Copy</button></div>
      <a href="acestream://{ID_C}">{ID_C} <br>ACE URI</a></div>
    <div>Before it: <a href="acestream://{ID_D}">{ID_D}</a></div>
    <div><a href="acestream://{"e" * 40}">{"e" * 40} caption only</a></div>"""

    assert names(page) == {
        ID_A: "ESPN",
        ID_B: "Sky Sports F1",
        ID_C: "Server 1: Big Buck Bunny",
        ID_D: "Before it",
        "e" * 40: "caption only",
    }


def test_new_era_channel_items_give_their_bare_ids_with_names() -> None:
    page = f"""<div class="list-view">
      <div class="channel-item"><span class="item-name">DAZN 1 --> NEW ERA</span>
        <span class="item-url">{ID_A}</span></div>
      <div class="channel-item"><div class="item-name">DAZN 2</div>
        <div class='x item-url'>{ID_B.upper()}</div></div>
    </div><p>Not an item: {ID_C}</p>"""

    assert names(page) == {ID_A: "DAZN 1 --> NEW ERA", ID_B: "DAZN 2"}


def test_a_w3u_xml_list_is_read_as_markup_with_its_titles() -> None:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<w3u version="1.0">
  <channel><title>DAZN 1 (FHD)</title><url>acestream://{ID_A}</url></channel>
  <channel><title>DAZN 2 (FHD)</title><url>acestream://{ID_B}</url></channel>
</w3u>"""

    assert names(xml) == {ID_A: "DAZN 1 (FHD)", ID_B: "DAZN 2 (FHD)"}
