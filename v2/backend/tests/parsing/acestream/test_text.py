from tests.parsing.acestream.samples import ID_A, ID_B, ID_C, ID_D, names


def test_plain_text_names_ids_by_their_line_or_the_title_line_before() -> None:
    text = (
        f"ESPN acestream://{ID_A}\nFox | acestream://{ID_B}\n\n"
        f"DAZN 1 (FHD)\nacestream://{ID_C}\nacestream://{ID_D}\n"
    )

    assert names(text) == {ID_A: "ESPN", ID_B: "Fox", ID_C: "DAZN 1 (FHD)", ID_D: None}
