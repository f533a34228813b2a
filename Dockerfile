# syntax=docker/dockerfile:1
# The one image definition of every deployable (crm_shared.deployables):
#   docker build --build-arg SERVICE=lead-routing --build-arg PACKAGE=lead_routing -t crm/lead-routing .
# Build context: the repository root (.dockerignore beside this file). skaffold.yaml
# passes both arguments per artifact; tests/integration/test_chart.py checks them
# against crm_shared.deployables.
#
# Base image pinned by digest (a tag moves; the digest is what was tested). To
# update: `docker buildx imagetools inspect python:3.11-slim` and replace both the
# tag (for the reader) and the digest (what is pulled).
ARG PYTHON_IMAGE=python:3.11.9-slim-bookworm@sha256:dad770592ab3582ab2dabcf0e18a863df9d86bd9d23efcfa614110ce49ac20e4
# The web console's npm packages are installed with Node 20, as on the developers' machines. The
# digest is the multi-arch index published for this tag; it could not be pulled where this
# line was written: confirm with `docker buildx imagetools inspect node:20.20.2-bookworm-slim`.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# ------------------------------------------------------------- web-assets --
# The console's front-end packages (services/web/package.json, pinned by its lock file),
# without the test-only ones; every other image gets an empty folder.
FROM ${NODE_IMAGE} AS web-assets
ARG SERVICE
WORKDIR /src/services/web
COPY services/web/package.json services/web/package-lock.json ./
RUN mkdir -p node_modules \
 && if [ "$SERVICE" = web ]; then npm ci --omit=dev --no-audit --no-fund; fi

# ---------------------------------------------------------------- builder --
FROM ${PYTHON_IMAGE} AS builder
# The folder under services/ and the Python package it installs (no defaults: one image per service).
ARG SERVICE
ARG PACKAGE
RUN test -n "$SERVICE" && test -n "$PACKAGE" \
 || { echo "build with --build-arg SERVICE=<folder under services/> --build-arg PACKAGE=<package>" >&2; exit 1; }
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY shared/ ./shared/
COPY services/${SERVICE}/ ./services/${SERVICE}/
# Non-editable installs: the runtime image carries no source tree. The import
# check fails the build when PACKAGE is not what services/${SERVICE} installs.
RUN pip install ./shared ./services/${SERVICE} \
 && python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('${PACKAGE}.__main__') is None)" \
 && find /opt/venv -name '__pycache__' -type d -prune -exec rm -rf {} +
# What the runtime image keeps of the service's folder: `python -m <pkg> migrate` finds
# alembic.ini and migrations/ in the working directory (a service with a database), and the
# console its npm packages (WEB_NODE_MODULES).
RUN mkdir -p /app/services/${SERVICE} \
 && for f in alembic.ini migrations; do \
      if [ -e "services/${SERVICE}/$f" ]; then cp -r "services/${SERVICE}/$f" "/app/services/${SERVICE}/"; fi; \
    done
COPY --from=web-assets /src/services/web/node_modules /app/node_modules

# ---------------------------------------------------------------- runtime --
FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG PACKAGE
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    CRM_PACKAGE=${PACKAGE} \
    WEB_NODE_MODULES=/app/node_modules
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app/services/${SERVICE}
USER 10001:10001
# `python -m <pkg> [args]`: exec-form ENTRYPOINT cannot expand a variable, so
# sh expands it and execs python (PID 1, receives the signals); arguments
# given to the container (e.g. `migrate`) are passed on.
ENTRYPOINT ["/bin/sh", "-c", "exec python -m \"$CRM_PACKAGE\" \"$@\"", "python"]
