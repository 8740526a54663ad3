from app.parsing.acestream import extract_channels
from tests.parsing.acestream.samples import ID_A, ID_B, ID_C, ID_D, SOURCE, names


def test_a_script_links_list_names_each_id_by_its_object() -> None:
    page = f"""<div id="links"></div><script>
      const linksData = {{"links": [{{"name": "BEIN SPORTS 1 [FR]", "url": "acestream://{ID_A}"}},
        {{"name": "Caf\\u00e9 \\"TV\\"", "url": "acestream://{ID_B}"}}]}};
      var other = [{{url: 'acestream://{ID_C}', title: 'Reversed'}}, {{url: "acestream://{ID_D}"}}];
    </script>"""

    assert names(page) == {
        ID_A: "BEIN SPORTS 1 [FR]",
        ID_B: 'Café "TV"',
        ID_C: "Reversed",
        ID_D: None,
    }


def test_a_script_file_contents_list_names_each_id_by_its_line() -> None:
    page = f"""<head><script>
    const fileContents = {{"listaplana.txt": `DAZN 1 (FHD) --> NEW ERA: acestream://{ID_A}
M+ Copa del Rey (FHD) --> NEW ERA: acestream://{ID_B}
`}};
    </script></head>"""

    assert names(page) == {
        ID_A: "DAZN 1 (FHD) --> NEW ERA",
        ID_B: "M+ Copa del Rey (FHD) --> NEW ERA",
    }


def test_hostile_script_of_1_mb_is_parsed() -> None:
    # Each `'` opens a literal whose escapes hide every later quote: scanning to the end from
    # each one would be quadratic.
    script = (
        "<script>"
        + '{"name": "x", "url": "' * 20_000
        + "'`\\" * 200_000
        + f'"acestream://{ID_A}"</script>'
    )

    assert len(script) > 1_000_000
    assert [c.content_id for c in extract_channels(script, source_url=SOURCE)] == [ID_A]
