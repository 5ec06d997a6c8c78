# syntax=docker/dockerfile:1
# gaoxin: build the wheel in one stage, run it as a non-root user in the next.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY domain ./domain
COPY infrastructure ./infrastructure
COPY services ./services
COPY migrations ./migrations
RUN pip install --no-cache-dir --upgrade pip==25.3 \
 && pip wheel --no-cache-dir --wheel-dir /wheels -c constraints.txt .

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GAOXIN_ENVIRONMENT=production \
    GAOXIN_DATABASE_URL=sqlite+aiosqlite:////data/gaoxin.db
RUN groupadd --system --gid 10001 gaoxin && useradd --system --uid 10001 --gid gaoxin --home-dir /app --create-home gaoxin \
 && mkdir -p /data && chown 10001:10001 /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels gaoxin==0.1.0 && rm -rf /wheels
USER 10001
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
ENTRYPOINT ["gaoxin"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
