# One image for every citebot process: the terminal chat, the Discord and Slack bots, the HTTP side.
FROM python:3.11-slim

# Nothing from the system: the CJK font of the timeline picture's Chinese labels is a Python dependency.
RUN useradd --create-home --uid 10001 citebot
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir '.[discord,slack]'
COPY config ./config
COPY knowledge ./knowledge
RUN mkdir -p /data && chown citebot:citebot /data /app/knowledge

USER citebot
# matplotlib's font list is built now, not when the first timeline picture is drawn.
RUN python -c "import matplotlib.font_manager"
ENV CITEBOT_DATA_DIR=/data \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"
ENTRYPOINT ["citebot"]
CMD ["serve"]
