#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all modules (mvn verify, which
# also builds app/target/bastion.jar and runs it over stdio in the integration tests).
# Needs JDK 17+ and Maven 3.8+; dependencies come from Maven Central.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -ntp verify
