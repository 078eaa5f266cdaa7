# The standalone fake SQS server in a container, built from the wheel alone:
#
#   python -m build --wheel                     # makes dist/pytest_fakesqs-<version>-py3-none-any.whl
#   docker build -t pytest-fakesqs -f Dockerfile dist/
#   docker run --rm -p 9324:9324 pytest-fakesqs --queue jobs --freeze 2024-05-01T12:00:00Z
#
# The build context is dist/, holding one wheel. Arguments after the image name replace CMD
# and go to `serve` (see docs/server.md); tests/server/test_cli.py runs this ENTRYPOINT, CMD and
# HEALTHCHECK as written, without docker.
FROM python:3.12-slim

COPY *.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl

EXPOSE 9324
HEALTHCHECK --interval=5s --timeout=3s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9324/_fakesqs/health', timeout=2)"]
ENTRYPOINT ["python", "-m", "pytest_fakesqs", "serve", "--host", "0.0.0.0", "--port", "9324"]
CMD ["--log-requests"]
