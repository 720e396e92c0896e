FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl procps \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files and translations are built into the image; secrets come at run time.
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv \
 && DEBUG=0 SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only ALLOWED_HOSTS=x \
      python manage.py collectstatic --noinput

# The volumes' mount points exist, owned by the app user, before they are declared: a new
# named volume copies that ownership (otherwise it mounts root-owned and unwritable).
RUN useradd --create-home terang \
 && mkdir -p /app/var/media /app/var/signing \
 && chown -R terang /app/var \
 && chmod 700 /app/var/signing
VOLUME ["/app/var/media", "/app/var/signing"]
USER terang
# Served to the reverse proxy only (docker-compose.yml); DEBUG is off unless set.
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
