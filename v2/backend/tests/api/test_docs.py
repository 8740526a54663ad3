"""/docs works on a LAN without internet, under a policy that allows only its own script."""

import base64
import hashlib
import re

from fastapi.testclient import TestClient


def test_docs_load_swagger_ui_from_the_service_itself(client: TestClient) -> None:
    page = client.get("/docs")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources == [
        "/docs/assets/swagger-ui.css",
        "/docs/assets/favicon.png",
        "/docs/assets/swagger-ui-bundle.js",
    ]
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 1000, source
        assert asset.headers["cache-control"] == "no-cache"
    assert "url: '/openapi.json'" in page.text


def test_docs_policy_allows_exactly_its_inline_script(client: TestClient) -> None:
    page = client.get("/docs")

    [script] = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "frame-ancestors 'none'" in policy


def test_redoc_which_needed_a_cdn_is_not_served(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
