"""Where the service's own facts leave it: the tracer provider and its processors, the
exporter that stores activity spans as rows, and the Prometheus metrics."""
