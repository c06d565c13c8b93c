# The pages' browser libraries (pinned in package-lock.json), copied as `make vendor` does.
FROM node:20-slim AS vendor
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p static/vendor \
    && cp node_modules/hash-wasm/dist/index.umd.min.js static/vendor/hash-wasm.umd.min.js \
    && cp node_modules/@zxcvbn-ts/core/dist/zxcvbn-ts.js static/vendor/zxcvbn-ts-core.js \
    && cp node_modules/@zxcvbn-ts/language-common/dist/zxcvbn-ts.js static/vendor/zxcvbn-ts-language-common.js \
    && cp node_modules/@zxcvbn-ts/language-en/dist/zxcvbn-ts.js static/vendor/zxcvbn-ts-language-en.js

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=portal.settings.production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=vendor /src/static/vendor/ static/vendor/
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://unused:6379/0 \
    EMAIL_URL=smtp://unused:25 SITE_URL=https://unused.example \
    python manage.py collectstatic --noinput
# The code stays root's: the portal writes nothing under /app (e-mail goes out over SMTP, beat's
# schedule lives in /tmp), so its user can read the code (whatever the checkout's umask) but not
# change it.
RUN useradd --system --uid 10001 --no-create-home portal && chmod -R a+rX,go-w /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "core.accesslog.ScrubbingLogger", "--no-control-socket"]
