from fastapi.testclient import TestClient


def test_openapi_documents_every_endpoint_with_a_response_model(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert set(operations) == {
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/api/v1/activity/recent", "get"),
        ("/api/v1/activity/histogram", "get"),
        ("/api/v1/config/dashboard", "get"),
        ("/api/v1/config/dashboard", "put"),
        ("/api/v1/background-tasks/status", "get"),
        ("/api/v1/background-tasks/{task_name}/runs", "get"),
        ("/api/v1/background-tasks/{task_name}/run", "post"),
        ("/api/v1/background-tasks/{task_name}/pause", "post"),
        ("/api/v1/background-tasks/{task_name}/resume", "post"),
        ("/api/v1/streams/active", "get"),
        ("/api/v1/warp/status", "get"),
        ("/playlist.m3u", "get"),
    }
    for (path, method), operation in operations.items():
        success = operation["responses"]["202" if path.endswith("/run") else "200"]["content"]
        if path != "/playlist.m3u":
            assert "$ref" in str(success["application/json"]), (path, method)
    components = schema["components"]["schemas"]
    for model in ("ActivityRead", "ActivityPage", "DashboardConfig", "DashboardConfigUpdate"):
        assert components[model]["examples"], model
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
