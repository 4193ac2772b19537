# Production image: gunicorn serves the portal, whitenoise its static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# fonts-wqy-microhei: the CJK TrueType font embedded in PDF letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

# collectstatic reads settings; these placeholders only satisfy them at build time.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
