# Image of the case tracker: the runtime dependencies in a venv, the code and the migrations.
#
# Build:   docker build -t schade-tracker .
# Run:     docker run --rm --init -p 127.0.0.1:8000:8000 \
#              -e DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/DB \
#              -e SECRET_KEY=LONG-RANDOM-VALUE-KEPT-ACROSS-RUNS \
#              -e PUBLIC_BASE_URL=https://schade.example.nl \
#              schade-tracker
# Or with PostgreSQL beside it: docker compose up --build   (see compose.yaml)
#
# The container applies pending migrations, then serves with WORKERS uvicorn processes.
# DATABASE_URL is required: the embedded PostgreSQL (the 'embedded' extra) is not installed.
# SECRET_KEY (make one: python3 -c 'import secrets; print(secrets.token_urlsafe(32))') derives
# the tracking token of a retried submission: keep it secret, and the same on every replica;
# without it each container makes its own in DATA_DIR.
# Photos and documents go to ATTACHMENTS_URL, by default the folder /data/attachments: mount a
# volume there (compose.yaml does) or set ATTACHMENTS_URL to an S3 bucket, or they are lost
# with the container.
# Other commands run the same way, e.g.: docker run --rm -e DATABASE_URL=... schade-tracker
#     python -m service corporations list
#
# Layout: service/db.py finds the migrations at <folder holding service/>/sql/migrations, so
# the code is not pip-installed into site-packages; service/ and sql/ sit side by side in /app,
# the working directory (and on PYTHONPATH), and only the dependencies live in the venv.

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- builder: a venv with the runtime dependencies only (no 'embedded', no 'test' extra) ---
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /build
COPY pyproject.toml ./
# The dependency list comes from pyproject.toml, [project] dependencies, so it is kept in one place.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# --- final: the venv, the code and the migrations, run as a non-root user ---
FROM ${PYTHON_IMAGE}

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=4 \
    DATA_DIR=/tmp/data \
    ATTACHMENTS_URL=/data/attachments \
    LOG_LEVEL=INFO

# A fixed numeric id, so USER needs no passwd lookup and the host sees a stable owner.
# The attachments' folder belongs to it, and so does a volume first mounted there.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --no-log-init app \
    && mkdir -p /data/attachments \
    && chown 10001:10001 /data/attachments

COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY service/ ./service/
COPY sql/ ./sql/
# Compiled now, as root: the app user cannot (and need not) write beside the code.
RUN python -m compileall -q /app/service

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/ready', timeout=4)"]

# Exec form: python is PID 1 and gets SIGTERM itself (`serve` handles it from the start, also
# while migrations run); uvicorn's supervisor passes it to the workers and waits for requests
# in flight. --init above and `init: true` in compose.yaml add a PID 1 that reaps processes.
# `serve` applies the migrations (under an advisory lock, so replicas starting together are
# safe) before it starts the workers.
CMD ["python", "-m", "service", "serve", "--no-demo"]
