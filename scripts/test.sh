#!/usr/bin/env bash
# Runs every test of the project:
#  0. installs the system packages the tests need when they are missing (scripts/ci-packages.sh:
#     redis-server, for the shared rate-limit tests, which fail without it unless
#     SKIP_REDIS_TESTS=1; nginx, for the replicas test, which fails without it unless
#     SKIP_NGINX_TESTS=1);
#  1. unit and integration tests of all modules (mvn verify, which also builds app/target/bastion.jar
#     and runs it over stdio and HTTP in the integration tests, with OpenTelemetry export and with
#     two replicas sharing a real redis-server, and with two replicas behind a real nginx);
#  2. a provider built outside the reactor from the provider guide's pom.xml, against the installed
#     artifacts only, loaded into bastion.jar with --plugin-dir (scripts/outside-provider.sh);
#  3. the official MCP conformance suite against `bastion serve --transport http`
#     (scripts/conformance.sh; installs Node 22 from the npm registry when the machine's is older);
#  3b. a real client, the MCP Inspector CLI (pinned), lists and calls tools over stdio and HTTP
#     in the 2026-07-28 era (scripts/real-clients.sh; Node 22 as for step 3);
#  4. the Kubernetes manifests against the Kubernetes schemas and their security invariants
#     (scripts/kubernetes-validate.sh, Node 20+);
#  5. the container image: built on a Debian base made with debootstrap, run read-only as uid 1001,
#     and the conformance suite again against it (scripts/image-test.sh; root installs podman and
#     debootstrap with apt-get when missing). IMAGE_TEST=0 skips it on machines without
#     root or podman (not a BASTION_ name: the servers the tests start refuse unknown ones).
# Needs JDK 17+, Maven 3.8+ and npm; dependencies come from Maven Central, the npm registry and
# Debian's packages (redis-server, nginx, and for step 5 podman, debootstrap and the base system).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ci-packages.sh
mvn -B -ntp verify
scripts/outside-provider.sh
scripts/conformance.sh
scripts/real-clients.sh
scripts/kubernetes-validate.sh
if [[ "${IMAGE_TEST:-1}" != "0" ]]; then
  scripts/image-test.sh
else
  echo "test: IMAGE_TEST=0, the container image is not built or tested" >&2
fi
