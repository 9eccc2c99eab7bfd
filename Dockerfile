# A CI image with spawnguard-lint installed from its Debian package. Build the
# package first, then build the image from the repository root:
#   bash scripts/package.sh && docker build -t spawnguard-lint .
# Derive from it with your project's build dependencies (apt-get install
# libboost1.81-dev ...) so the lint can parse your code. The package tests
# (tests/packaging/, packaging.dockerfile) run each RUN command below.
FROM debian:12
COPY scripts/install-package.sh build/packages/spawnguard-lint_*.deb /tmp/spawnguard/
RUN bash /tmp/spawnguard/install-package.sh /tmp/spawnguard/spawnguard-lint_*.deb
RUN spawnguard-lint --version
ENTRYPOINT ["spawnguard-lint"]
