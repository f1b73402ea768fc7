# autograd-viz server image (CPU only).
#   docker build -t autograd-viz .
#   docker run --rm -p 8000:8000 autograd-viz
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Graphviz lays out the graphs (libgvc in process, `dot` for large ones); libseccomp2 backs
# the workers' seccomp filter.
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz libseccomp2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/autograd-viz

COPY pyproject.toml constraints.txt ./

# torch first, from PyTorch's CPU-only index: the default index's torch is a CUDA
# build of several GB. Only torch comes from there.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# The remaining runtime dependencies, read from pyproject.toml, from the default
# index. The app is not pip-installed: it runs from this directory beside static/
# and templates/, so this layer is rebuilt only when the dependencies change.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt \
    && python -c "import torch; assert torch.__version__.endswith('+cpu'), torch.__version__"

COPY app/ app/
COPY static/ static/
COPY templates/ templates/

# Workers warm torch up before they are locked down; torch wants a home for its caches.
RUN useradd --system --create-home --shell /usr/sbin/nologin app
USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# python -m app.serve: uvicorn with the settings checked, the request-head deadline and no proxy
# headers believed by uvicorn (set AGV_TRUSTED_PROXIES behind a proxy): docs/security.md.
CMD ["python", "-m", "app.serve", "--host", "0.0.0.0", "--port", "8000"]
