# trellolens in a container: a slim Python base, a non-root user, a health check, no secret inside.
# Credentials come at run time only (environment variables, a mounted .streamlit/secrets.toml or
# AWS Secrets Manager): never as a build argument, never in a layer. docs/deploy-aws.md explains.
#
#   docker build -t trellolens .
#   docker run --rm -p 8501:8501 --env-file trello.env -e TRELLOLENS_ACCESS=login trellolens

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE CHANGELOG.md requirements.txt ./
COPY src ./src
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt

FROM python:3.11-slim
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY streamlit_app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8501
# The code and config belong to root; the app runs as `app` and cannot change them.
USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4)"]
CMD ["sh", "-c", "exec trellolens run --server.address 0.0.0.0 --server.port \"$PORT\" --server.headless true"]
