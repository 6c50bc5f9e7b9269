#!/usr/bin/env bash
# Runs every fuzz test as a coverage-guided campaign with Jazzer, one target after another.
#
#   scripts/fuzz.sh [seconds-per-target] [target-filter]
#
# seconds-per-target defaults to 600 (ten minutes); target-filter, a regular expression, picks
# targets by "module:Class#method" (for example 'security:' or 'Selector'). Each target runs in its
# own JVM (Jazzer fuzzes one test per run) with its bug detectors on, starting from its seed corpus
# in src/test/resources/<package>/<Class>Inputs/<method>/ and from Jazzer's working corpus in
# <module>/.cifuzz-corpus/ (kept between runs, ignored by git). A finding fails the target; Jazzer
# writes the input to the seed corpus directory as crash-<sha1>, where the normal build (which
# replays the corpus) then runs it too: commit it with the fix and a regression test.
#
# Prints one line per target (executions, seconds, findings) and exits non-zero if any target
# found something. Logs: target/fuzz/<Class>-<method>.log. Needs what the build needs (JDK 17+,
# Maven 3.8+), run from anywhere; pass -o style Maven flags through MAVEN_ARGS, e.g. MAVEN_ARGS=-o.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-600}"
filter="${2:-.}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: scripts/fuzz.sh [seconds-per-target] [target-filter]" >&2
    exit 2
fi

targets=(
    "core:dev.bastion.core.mcp.JsonRpcFuzzTest#everyMessageGetsAResultOrAnErrorNeverAnException"
    "security:dev.bastion.security.redact.SecretRedactorFuzzTest#plantedSecretNeverSurvivesAndOutputStaysBounded"
    "security:dev.bastion.security.redact.SecretRedactorFuzzTest#anyTextRedactsWithinTheBound"
    "security:dev.bastion.security.path.PathPolicyFuzzTest#noAcceptedPathResolvesOutsideTheRoot"
    "security:dev.bastion.security.command.CommandPolicyFuzzTest#noRefusedHostCommandIsAllowed"
    "security:dev.bastion.security.command.CommandPolicyFuzzTest#noSeparatorLineBreakOrConfigurationCommandReachesADevice"
    "provider-dynatrace-managed:dev.bastion.provider.dynatrace.managed.SelectorFuzzTest#everyValueIsRefusedOrQuotedAsOneLiteral"
    "app:dev.bastion.app.config.ConfigLoaderFuzzTest#anyFileGivesAConfigurationOrAClearErrorWithoutTheSecret"
    "transport-http:dev.bastion.transport.http.RequestGuardFuzzTest#everyHostAndOriginCombinationIsAllowedOrClearlyRefused"
)

mkdir -p target/fuzz
failed=0
printf '%-90s %12s %8s %s\n' "target" "executions" "seconds" "findings"
for target in "${targets[@]}"; do
    [[ "$target" =~ $filter ]] || continue
    module="${target%%:*}"
    test="${target#*:}"
    class="${test%%#*}"
    method="${test#*#}"
    log="target/fuzz/${class##*.}-${method}.log"
    started=$(date +%s)
    status=0
    # The corpus replay of the other fuzz tests is skipped: Jazzer fuzzes one test per JVM.
    JAZZER_FUZZ=1 mvn -B -ntp ${MAVEN_ARGS:-} -pl "$module" -am test \
        -Dtest="${class}#${method}" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.hooks=true -Djazzer.max_duration="${seconds}s" >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - started ))
    executions=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2}')
    fuzzed_seconds=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $5}')
    crash=$(grep -aoE "Test unit written to [^ ]+|crash-[0-9a-f]{40}" "$log" | head -1 || true)
    if [ "$status" -ne 0 ] || [ -n "$crash" ]; then
        failed=1
        findings="1 (first finding stops the target; ${crash:-see $log})"
        if [ -z "$executions" ]; then
            executions=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
        fi
    else
        findings="0"
    fi
    printf '%-90s %12s %8s %s\n' "${class##*.}#${method}" "${executions:-?}" "${fuzzed_seconds:-$elapsed}" "$findings"
done
exit "$failed"
