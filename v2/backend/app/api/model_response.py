"""An answer made of a pydantic model, serialised once where the endpoint built it."""

from fastapi import Response
from pydantic import BaseModel


def model_response(model: BaseModel) -> Response:
    """`model` as its JSON, in a Response that FastAPI sends as it is.

    A returned model is otherwise validated again against the route's response model, in a
    worker thread of its own for a `def` endpoint, before it is serialised: for a page of 50
    activity rows that was a second walk over every item and one more thread hop per
    request (`bench/profile_request.py`). The route keeps `response_model=` for its schema.
    """
    return Response(model.model_dump_json(), media_type="application/json")
