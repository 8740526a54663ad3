import base64
import gzip
import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import SettingsFactory
from tests.factories import make_page_dist


def test_the_page_is_served_at_the_root_with_revalidation(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    with TestClient(create_app(make_settings(frontend_dist=make_page_dist(tmp_path)))) as client:
        page = client.get("/")
        script = client.get("/assets/index-abc123.js")
        api = client.get("/api/v1/config/dashboard")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert api.status_code == 200


def test_without_a_built_page_the_root_says_how_to_build_it(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    with TestClient(create_app(make_settings(frontend_dist=tmp_path / "none"))) as client:
        response = client.get("/")

    assert response.status_code == 503
    assert "npm run build" in response.json()["detail"]


def test_assets_go_out_gzipped_from_the_build_when_the_browser_accepts_it(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    dist = make_page_dist(tmp_path)
    script = "console.log('dashboard');\n" * 200
    (dist / "assets" / "index-abc123.js").write_text(script)
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(script.encode()))
    url = "/assets/index-abc123.js"

    with TestClient(create_app(make_settings(frontend_dist=dist))) as client:
        # httpx decodes the body; content-length tells what went over the wire.
        packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        identity = client.get(url, headers={"Accept-Encoding": "identity"})
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, br"})

    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["content-type"].startswith("text/javascript")
    assert packed.headers["vary"] == "Accept-Encoding"
    assert packed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert int(packed.headers["content-length"]) < len(script) / 10
    assert packed.text == script
    for plain in (identity, refused):
        assert "content-encoding" not in plain.headers
        assert plain.text == script
        assert int(plain.headers["content-length"]) == len(script)


def test_an_asset_without_a_gzip_copy_goes_out_as_it_is(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    with TestClient(create_app(make_settings(frontend_dist=make_page_dist(tmp_path)))) as client:
        script = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})

    assert script.status_code == 200
    assert "content-encoding" not in script.headers
    assert script.text == "console.log('dashboard')"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/x%00.js",
        "/x%00.html",
        "/%00",
        "/assets/" + "a" * 300 + ".js",
        "/" + "a" * 300,
    ],
)
def test_a_path_no_file_can_have_is_not_found_and_records_no_error(
    make_settings: SettingsFactory, tmp_path: Path, path: str
) -> None:
    with TestClient(create_app(make_settings(frontend_dist=make_page_dist(tmp_path)))) as client:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        errors = client.get("/api/v1/activity/recent", params={"type": "error"})

    assert response.status_code == 404
    assert errors.json()["items"] == []


def test_the_page_s_inline_script_is_allowed_by_its_hash_and_no_other(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    dist = make_page_dist(tmp_path)
    script = "document.documentElement.dataset.colorScheme = 'dark';"
    (dist / "index.html").write_text(f"<!doctype html><script>{script}</script><p>shell</p>")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    with TestClient(create_app(make_settings(frontend_dist=dist))) as client:
        page = client.get("/")
        revalidated = client.get("/", headers={"If-None-Match": page.headers["etag"]})
        api = client.get("/api/v1/config/dashboard")

    assert f"script-src 'self' 'sha256-{digest}';" in page.headers["content-security-policy"]
    assert revalidated.status_code == 304
    assert revalidated.headers["content-security-policy"] == page.headers["content-security-policy"]
    assert "sha256" not in api.headers["content-security-policy"]
