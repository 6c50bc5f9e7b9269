#!/usr/bin/env bash
# Builds a provider the way a third party does (issue 8, "An outside provider"): the separate Maven
# project docs/outside-provider, whose pom.xml is the provider guide's, against nothing but the
# project's installed artifacts; runs its tests (the testkit contract among them); then loads its
# jar into bastion.jar with --plugin-dir and checks that its tools are listed.
#
#  1. installs every module into a private local repository (never ~/.m2), seeded from ~/.m2 when
#     there is one so nothing is downloaded twice; offline when that suffices;
#  2. builds and tests the outside project offline against that repository only;
#  3. runs `bastion.jar tools --plugin-dir <dir> --sandbox --json` and checks the tools are there.
# Needs JDK 17+ and Maven 3.8+; the only network it may use is Maven Central (step 1, when the
# seed lacks something). Set OUTSIDE_PROVIDER_REPO to use another repository (not a BASTION_ name:
# the server refuses unknown BASTION_ variables).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
work="$root/target/outside-provider"
repo="${OUTSIDE_PROVIDER_REPO:-$work/m2}"
project="$root/docs/outside-provider"
mkdir -p "$work"

if [[ ! -d "$repo" ]]; then
  if [[ -d "$HOME/.m2/repository" ]]; then
    echo "outside-provider: seeding $repo from ~/.m2/repository (without dev/bastion)"
    mkdir -p "$(dirname "$repo")"
    cp -R "$HOME/.m2/repository" "$repo"
    rm -rf "$repo/dev/bastion"
  else
    mkdir -p "$repo"
  fi
fi

echo "outside-provider: installing the project's artifacts into $repo"
start=$SECONDS
# Tests are the job of the mvn verify before this script: skip compiling them. The benchmarks and
# the application are not something a provider builds against (and the application's tests need
# the security module's test jar, which skipping tests does not build).
install=(mvn -B -ntp -q -Dmaven.test.skip=true install -pl '!bench,!app' -Dmaven.repo.local="$repo")
if ! "${install[@]}" -o >"$work/install-offline.log" 2>&1; then
  echo "outside-provider: offline install lacked something; installing with Maven Central"
  "${install[@]}"
fi

echo "outside-provider: installed in $((SECONDS - start)) s; building and testing $project offline, against $repo only"
rm -rf "$project/target"
(cd "$project" && mvn -B -ntp -q -o -Dmaven.repo.local="$repo" verify)

jars=("$project"/target/*.jar)
if [[ ${#jars[@]} -ne 1 || ! -f "${jars[0]}" ]]; then
  echo "outside-provider: expected one jar in $project/target, found: ${jars[*]}" >&2
  exit 1
fi
# A thin jar: the provider's own classes and service file, nothing the server already shares.
foreign=$(jar tf "${jars[0]}" | grep -v -E '^(META-INF/|com/$|com/example/)' || true)
if [[ -n "$foreign" ]]; then
  echo "outside-provider: the plugin jar carries classes that are not its own:" >&2
  echo "$foreign" | head -20 >&2
  exit 1
fi

plugins="$work/plugins"
rm -rf "$plugins"
mkdir -p "$plugins"
cp "${jars[0]}" "$plugins/"

echo "outside-provider: listing tools with --plugin-dir $plugins --sandbox"
listing=$(java -jar "$root/app/target/bastion.jar" tools --plugin-dir "$plugins" --sandbox --json 2>"$work/tools.stderr") || {
  echo "outside-provider: bastion tools failed:" >&2
  cat "$work/tools.stderr" >&2
  exit 1
}
status=0
for tool in acme_status_list_components acme_status_get_component acme_status_list_incidents; do
  if ! grep -q "\"name\" : \"$tool\"" <<<"$listing"; then
    echo "outside-provider: $tool is not listed by bastion tools" >&2
    status=1
  fi
done
if ! grep -q '"provider" : "acme-status"' <<<"$listing"; then
  echo "outside-provider: no tool of provider acme-status is listed" >&2
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "$listing" >&2
  cat "$work/tools.stderr" >&2
  exit 1
fi
echo "outside-provider: OK, the outside provider's tools are listed"
