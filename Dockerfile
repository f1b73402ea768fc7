# autograd-viz server image (CPU only; amd64 or arm64). docs/deploy.md explains each setting.
#   docker build -t autograd-viz .
#   docker run --rm -p 8000:8000 autograd-viz
#   docker run --rm -p 8080:8080 -e PORT=8080 -e AGV_TRUSTED_PROXIES=172.17.0.1 autograd-viz
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Graphviz lays out the graphs (libgvc in process, `dot` for large ones); libseccomp2 backs
# the workers' seccomp filter; tini runs as PID 1 (below).
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz libseccomp2 tini \
    && rm -rf /var/lib/apt/lists/*

# torch first and alone, before any file of the project is copied: this 750 MB layer is
# rebuilt only when this line changes, never by an edit to the project. The version is
# constraints.txt's (tests/deploy/test_dockerfile.py checks they agree), from PyTorch's
# CPU-only index: the default index's torch is a CUDA build of several GB.
ARG TORCH_VERSION=2.13.0
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==${TORCH_VERSION}" \
    && python -c "import torch; assert not torch.cuda.is_available() and torch.version.cuda is None, torch.__version__"

WORKDIR /srv/autograd-viz

# The remaining runtime dependencies, read from pyproject.toml, from the default index (with
# constraints.txt, so torch stays the one above). The app is not pip-installed: it runs from
# this directory beside static/ and templates/, so this layer is rebuilt only when the
# dependencies change. Swagger UI's files for /docs come from here (swagger-ui-bundle-v2).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt \
    && python -c "import torch; assert torch.version.cuda is None, torch.__version__"

COPY app/ app/
COPY static/ static/
COPY templates/ templates/

# A numeric user, so Kubernetes' runAsNonRoot can verify it is not root. Workers warm torch
# up before they are locked down, and torch wants a home for its caches.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app
ENV HOME=/home/app
USER 10001:10001

# app.serve listens on $PORT (what container platforms set). uvicorn and the rate limit believe
# X-Forwarded-For/-Proto only from AGV_TRUSTED_PROXIES (unset: from nobody): docs/deploy.md.
ENV PORT=8000
EXPOSE 8000

# Ready: the workers are warm (/healthz/ready answers 503 until then).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/healthz/ready' % os.environ.get('PORT', '8000'), timeout=4).status == 200 else 1)"]

# tini as PID 1: it passes SIGTERM on to the server (which stops its workers) and reaps any
# process that outlives its parent (a worker killed mid-fork, a `dot` left behind); without an
# init, PID 1 is the server, which reaps only its own children.
ENTRYPOINT ["/usr/bin/tini", "--"]
# python -m app.serve: uvicorn with the settings checked, the request-head deadline and proxy
# headers from the settings (docs/security.md).
CMD ["python", "-m", "app.serve", "--host", "0.0.0.0"]
