from fastapi import APIRouter, Depends, Request, Response
from prometheus_client.exposition import choose_encoder

from app.api.deps import RegistryDep, authorize

# With API_READ_AUTH=true the metrics are a read like any other: Prometheus sends the token
# (prometheus/prometheus.yml, `authorization`).
router = APIRouter(tags=["metrics"], dependencies=[Depends(authorize)])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, registry: RegistryDep) -> Response:
    """Prometheus exposition; OpenMetrics when the scraper asks for it in Accept."""
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(registry), media_type=content_type)
