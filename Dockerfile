# The dashboard service: the page built with Node, served by a slim Python runtime.

FROM node:20.19-bookworm-slim AS page
WORKDIR /build/v2/frontend
COPY v2/frontend/package.json v2/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY v2/frontend/ ./
RUN npm run build

FROM python:3.11.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    PYTHONPATH=/app/v2/backend
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --constraint constraints.txt . \
    && useradd --system --uid 10001 --home-dir /app acestream \
    && mkdir -p /data && chown acestream /data
COPY alembic.ini ./
COPY v2/backend/app v2/backend/app
COPY v2/backend/migrations v2/backend/migrations
COPY --from=page /build/v2/frontend/dist v2/frontend/dist
# Numeric, so a host or orchestrator can tell it is not root without the image's /etc/passwd.
USER 10001
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["python", "-m", "app"]
