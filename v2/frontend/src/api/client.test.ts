import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { server } from "../testing/mocks/server";
import { ApiError, buildUrl, parseRetryAfter, request, setUnauthorizedHandler, toApiError } from "./client";
import { setToken } from "./token";

const URL_PATTERN = "*/api/v1/things";

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the request to fail");
}

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2026-12-02T08:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 02 Dec 2026 08:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 02 Dec 2026 07:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("toApiError", () => {
  it("maps a FastAPI 422 body onto fields named by the last loc element", () => {
    const error = toApiError(422, "Unprocessable Entity", {
      detail: [
        { loc: ["body", "retention_days"], msg: "Input should be less than or equal to 30", type: "less_than_equal" },
        { loc: ["query", "days"], msg: "Input should be a valid integer", type: "int_parsing" },
      ],
    });
    expect(error.status).toBe(422);
    expect(error.fields).toEqual({
      retention_days: "Input should be less than or equal to 30",
      days: "Input should be a valid integer",
    });
    expect(error.message).toBe("retention_days: Input should be less than or equal to 30; days: Input should be a valid integer");
  });

  it("uses a string detail as the message and keeps the trace id of a 500", () => {
    const error = toApiError(500, "Internal Server Error", { detail: "Internal error", trace_id: "abc123" });
    expect(error).toMatchObject({ status: 500, message: "Internal error", fields: {}, traceId: "abc123" });
  });

  it("falls back to the status line when the body is not the API's JSON", () => {
    expect(toApiError(502, "Bad Gateway", null).message).toBe("The server answered 502 Bad Gateway");
  });
});

describe("request", () => {
  it("parses JSON and repeats array parameters", async () => {
    let seen = "";
    server.use(
      http.get(URL_PATTERN, ({ request: req }) => {
        seen = new URL(req.url).search;
        return HttpResponse.json({ ok: true });
      }),
    );
    await expect(request("/things", { query: { type: ["scrape", "error"], days: 0, cursor: null } })).resolves.toEqual({ ok: true });
    expect(seen).toBe("?type=scrape&type=error&days=0");
  });

  it("turns a 409 into an ApiError carrying the server's sentence", async () => {
    server.use(
      http.post(URL_PATTERN, () =>
        HttpResponse.json({ detail: "Task scrape is already running; wait for it to finish" }, { status: 409 }),
      ),
    );
    const error = await failure(request("/things", { method: "POST" }));
    expect(error.status).toBe(409);
    expect(error.message).toBe("Task scrape is already running; wait for it to finish");
  });

  it("turns a network failure into status 0 with a readable message", async () => {
    server.use(http.get(URL_PATTERN, () => HttpResponse.error()));
    const error = await failure(request("/things"));
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/cannot reach the server/i);
  });

  it("sends the stored token as a Bearer header", async () => {
    setToken("s3cret");
    let authorization: string | null = null;
    server.use(
      http.get(URL_PATTERN, ({ request: req }) => {
        authorization = req.headers.get("authorization");
        return HttpResponse.json({});
      }),
    );
    await request("/things");
    expect(authorization).toBe("Bearer s3cret");
  });

  it("asks for a token on 401 and retries with it", async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(URL_PATTERN, ({ request: req }) => {
        seen.push(req.headers.get("authorization"));
        return req.headers.get("authorization") === "Bearer good"
          ? HttpResponse.json({ ok: true })
          : HttpResponse.json({ detail: "API token missing or wrong" }, { status: 401 });
      }),
    );
    const handler = vi.fn(() => {
      setToken("good");
      return Promise.resolve(true);
    });
    setUnauthorizedHandler(handler);
    await expect(request("/things")).resolves.toEqual({ ok: true });
    expect(handler).toHaveBeenCalledWith({ rejected: false, interactive: false });
    expect(seen).toEqual([null, "Bearer good"]);
  });

  it("throws the 401 when the person declines", async () => {
    server.use(http.put(URL_PATTERN, () => HttpResponse.json({ detail: "API token missing or wrong" }, { status: 401 })));
    const handler = vi.fn(() => Promise.resolve(false));
    setUnauthorizedHandler(handler);
    const error = await failure(request("/things", { method: "PUT", body: {} }));
    expect(error).toMatchObject({ status: 401, message: "API token missing or wrong" });
    expect(handler).toHaveBeenCalledWith({ rejected: false, interactive: true });
  });

  it("builds absolute URLs under /api/v1 unless raw", () => {
    expect(buildUrl("/warp/status")).toBe(`${window.location.origin}/api/v1/warp/status`);
    expect(buildUrl("/healthz", {}, true)).toBe(`${window.location.origin}/healthz`);
  });
});
