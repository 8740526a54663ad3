from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import choose_encoder

from app.api.deps import RegistryDep

router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, registry: RegistryDep) -> Response:
    """Prometheus exposition; OpenMetrics when the scraper asks for it in Accept."""
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(registry), media_type=content_type)
