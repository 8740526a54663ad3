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
        ("/api/v1/activity/export", "get"),
        ("/api/v1/activity/stream", "get"),
        ("/api/v1/config/dashboard", "get"),
        ("/api/v1/config/dashboard", "put"),
        ("/api/v1/config/dashboard/retention-preview", "get"),
        ("/api/v1/background-tasks/status", "get"),
        ("/api/v1/background-tasks/{task_name}/runs", "get"),
        ("/api/v1/background-tasks/{task_name}/run", "post"),
        ("/api/v1/background-tasks/{task_name}/pause", "post"),
        ("/api/v1/background-tasks/{task_name}/resume", "post"),
        ("/api/v1/streams/active", "get"),
        ("/api/v1/streams/history", "get"),
        ("/api/v1/streams/{stream_id}/samples", "get"),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/targets", "put"),
        ("/api/v1/notifications/mute", "put"),
        ("/api/v1/notifications/mute", "delete"),
        ("/api/v1/notifications/test", "post"),
        ("/api/v1/warp/status", "get"),
        ("/api/v1/uptime", "get"),
        ("/playlist.m3u", "get"),
        ("/ace/getstream", "get"),
    }
    for (path, method), operation in operations.items():
        if path == "/ace/getstream":
            # A redirect, not a body: its answers are the 307 and the refusals.
            assert {"307", "401", "404", "422"} <= set(operation["responses"]), path
            assert "200" not in operation["responses"], path
            continue
        success = operation["responses"]["202" if path.endswith("/run") else "200"]["content"]
        if path == "/api/v1/activity/export":
            assert set(success) == {"text/csv", "application/x-ndjson"}
        elif path == "/api/v1/activity/stream":
            events = success["text/event-stream"]["itemSchema"]["properties"]["data"]
            assert "#/components/schemas/ActivityRead" in str(events), (path, method)
        elif path != "/playlist.m3u":
            assert "$ref" in str(success["application/json"]), (path, method)
    components = schema["components"]["schemas"]
    for model in (
        "ActivityRead",
        "ActivityPage",
        "DashboardConfig",
        "DashboardConfigUpdate",
        "ActiveStreams",
        "StreamHistory",
        "StreamSamples",
    ):
        assert components[model]["examples"], model
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_openapi_documents_the_errors_the_edge_and_the_error_handler_answer(
    client: TestClient,
) -> None:
    """The JSON 500 with its trace id, the body cap's 413 and the write guard's 403/415 are
    answers like any other: a client generated from the schema must know their bodies."""
    schema = client.get("/openapi.json").json()

    server_error = schema["components"]["schemas"]["ServerError"]
    assert set(server_error["required"]) == {"detail", "trace_id"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            body = responses["500"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ServerError"}, (path, method)
            assert "413" in responses, (path, method)
            writes = method in {"post", "put", "patch", "delete"}
            assert ("403" in responses and "415" in responses) == writes, (path, method)
