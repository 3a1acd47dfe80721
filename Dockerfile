# Loa as a container: python:3.11-slim, runs as the unprivileged user "loa", keeps the
# database, its secret and the backups in the /data volume.
#   docker build -t loa . && docker run -v loa-data:/data -p 127.0.0.1:8080:8080 loa
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
RUN pip install -c constraints.txt . \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin loa \
    && mkdir -p /data/backups && chown -R loa:loa /data
# Content as data (FAQ, campaign messages, schedules, admin units), read at start.
COPY messages ./messages
COPY schedules ./schedules
COPY data ./data

ENV LOA_DB=/data/loa.db \
    LOA_BACKUP_DIR=/data/backups \
    LOA_CONTENT_DIR=/app \
    LOA_HOST=0.0.0.0 \
    LOA_PORT=8080

USER loa
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]
CMD ["loa", "run"]
