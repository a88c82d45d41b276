FROM python:3.12-slim
WORKDIR /srv/sportello
COPY pyproject.toml README.md ./
COPY app ./app
COPY search ./search
COPY templates ./templates
COPY static ./static
COPY kb_content ./kb_content
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["sh", "-c", "sportello migrate && sportello serve --host 0.0.0.0 --port 8000"]
