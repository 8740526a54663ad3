"""Error bodies, for the OpenAPI documentation of non-2xx answers."""

from pydantic import BaseModel


class ErrorMessage(BaseModel):
    detail: str


class ServerError(BaseModel):
    detail: str
    trace_id: str | None
