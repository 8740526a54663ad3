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
        ("/api/v1/config/dashboard", "get"),
        ("/api/v1/config/dashboard", "put"),
    }
    for operation in operations.values():
        assert "$ref" in str(operation["responses"]["200"]["content"]["application/json"])
    components = schema["components"]["schemas"]
    for model in ("ActivityRead", "ActivityPage", "DashboardConfig", "DashboardConfigUpdate"):
        assert components[model]["examples"], model
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
