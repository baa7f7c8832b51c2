# syntax=docker/dockerfile:1

# --- Front-end assets -----------------------------------------------------------------
# Only node_modules leaves this stage: Django's staticfiles reads bootstrap,
# bootstrap-icons and htmx straight from it (settings.STATICFILES_DIRS).
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Application ------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so editing the source does not reinstall them. The project is
# not a library ([tool.setuptools] packages = []): `pip install .` only pulls in the
# dependencies and the code runs from /app.
COPY pyproject.toml ./
RUN pip install --no-cache-dir . \
    && rm -rf build *.egg-info

COPY . .
COPY --from=assets /assets/node_modules ./node_modules

# Build-time dummy settings: nothing here is used at run time. The settings create
# var/ (file cache, ...) on import, so it is emptied and handed to the app user.
RUN DEBUG=false \
    SECRET_KEY=build-only \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c 'python manage.py compilemessages --ignore=node_modules \
        && python manage.py collectstatic --noinput' \
    && rm -rf /app/var /tmp/build.sqlite3 \
    && mkdir -p /app/var/media/private \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# Workers, threads, timeouts and logs: gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS…).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "hub_eu.wsgi:application"]
