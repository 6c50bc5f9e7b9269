#!/usr/bin/env bash
# Validates deploy/kubernetes (issue "Operations"):
#  1. deploy/validate/validate.mjs: every object against the Kubernetes schemas (kubernetes-models,
#     versions pinned in deploy/validate/package-lock.json, installed with npm ci from the npm
#     registry), Bastion's security invariants, and a self-test that broken objects are rejected;
#  2. the ConfigMap's bastion.yaml with the server itself (`bastion config`: unknown keys and missing
#     settings are errors), with test values for the variables the Deployment takes from the
#     Secret; and the same check must reject a copy with a misspelt key.
# Needs Node >= 20 with npm, a JDK and a finished `mvn package` (app/target/bastion.jar).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/deploy/validate"
JAR="$ROOT/app/target/bastion.jar"
if [[ ! -f "$JAR" ]]; then
  echo "kubernetes-validate: $JAR is missing; run 'mvn package' first" >&2
  exit 2
fi

npm ci --no-audit --no-fund --loglevel=error >&2
node validate.mjs

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node validate.mjs --print-bastion-yaml > "$WORK/bastion.yaml"
sed 's/token_scopes:/token_scope:/' "$WORK/bastion.yaml" > "$WORK/misspelt.yaml"
cmp -s "$WORK/bastion.yaml" "$WORK/misspelt.yaml" && { echo "kubernetes-validate: the self-test could not misspell token_scopes" >&2; exit 1; }

# The values the Secret's placeholders stand for (test values, never used anywhere).
config_check() {
  env -i PATH="$PATH" HOME="$WORK" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    BASTION_HTTP_TOKEN="$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)" \
    DYNATRACE_API_TOKEN="dt0c01.TESTTESTTESTTESTTESTTEST.$(head -c 32 /dev/urandom | sha256sum | cut -c1-64 | tr a-f A-F)" \
    "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$JAR" config --config "$1" >"$WORK/config.out" 2>"$WORK/config.err"
}
if ! config_check "$WORK/bastion.yaml"; then
  grep -v ' INFO ' "$WORK/config.err" >&2
  echo "kubernetes-validate: bastion config refused the ConfigMap's bastion.yaml" >&2
  exit 1
fi
if config_check "$WORK/misspelt.yaml"; then
  echo "kubernetes-validate: self-test: bastion config accepted a misspelt key (token_scope)" >&2
  exit 1
fi
echo "kubernetes-validate: the ConfigMap's bastion.yaml is accepted by bastion config; a misspelt key is refused"
