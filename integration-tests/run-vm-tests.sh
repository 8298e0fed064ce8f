#!/usr/bin/env bash
# Runs the IPVS tests (@Tag("vm")) inside the IPVS VM (../shared/ipvs-vm/run-in-vm): one JVM, JUnit console launcher.
#
#   integration-tests/run-vm-tests.sh              # the vm-tagged tests (~5-8 min under TCG); exit 0 only if all pass
#   integration-tests/run-vm-tests.sh --benchmark  # 10,000 services x 4 destinations: javalived vs ipvsadm -R
#
# Assumes the host build already ran (`mvn install` from the repository root): it uses integration-tests/target/
# test-classes, the installed module jars in ~/.m2 and cli/target/javalived.jar. Prints a closing line
# "N passed, N failed". Environment: RUN_IN_VM (path of run-in-vm), VM_TIMEOUT (seconds, default 3600), VM_TEST_CLASS
# (run only these test classes, comma-separated).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

mode=vm
case "${1:-}" in
  --benchmark) mode=benchmark ;;
  "") ;;
  *) echo "usage: $0 [--benchmark]" >&2; exit 2 ;;
esac

vm=${RUN_IN_VM:-}
if [ -z "$vm" ]; then
  for c in "$root/../shared/ipvs-vm/run-in-vm" /work/shared/ipvs-vm/run-in-vm; do
    if [ -x "$c" ]; then vm=$c; break; fi
  done
fi
if [ -z "$vm" ] || [ ! -x "$vm" ]; then
  echo "run-vm-tests: run-in-vm not found (looked in ../shared/ipvs-vm and /work/shared/ipvs-vm; set RUN_IN_VM)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [ ! -d integration-tests/target/test-classes/io/javalived/it/ipvs ]; then
  echo "run-vm-tests: integration-tests/target/test-classes is missing: run 'mvn install' first" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

cpfile=integration-tests/target/vm-classpath.txt
# online on purpose: the dependency plugin may not be in ~/.m2 yet (the build itself does not use it)
if ! mvn -B -q -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/$cpfile" >/dev/null; then
  mvn -B -o -q -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/$cpfile" >/dev/null
fi
# the console launcher jar bundles the JUnit platform and Jupiter: drop the separate copies
deps=$(tr ':' '\n' < "$cpfile" \
  | grep -Ev '/(junit-jupiter[^/]*|junit-platform-(commons|engine|launcher)|opentest4j|apiguardian-api)-[0-9][^/]*\.jar$' \
  | paste -sd: -)
# private copies of the project's own jars and classes: a concurrent `mvn install` must not swap them mid-run
snap="$root/integration-tests/target/vm-snapshot"
rm -rf "$snap" && mkdir -p "$snap/lib"
cp -r "$root/integration-tests/target/test-classes" "$snap/test-classes"
deps=$(tr ':' '\n' <<< "$deps" | while read -r j; do
  case "$j" in
    */io/javalived/*.jar) cp "$j" "$snap/lib/" && echo "$snap/lib/$(basename "$j")" ;;
    *) echo "$j" ;;
  esac
done | paste -sd: -)
jar="$snap/javalived.jar"
cp "$root/cli/target/javalived.jar" "$jar" 2>/dev/null || jar="$root/cli/target/javalived.jar"
cp="$snap/test-classes:$deps"

if [ "$mode" = benchmark ]; then
  tags=(--include-tag benchmark)
  select=(--select-class io.javalived.it.ipvs.IpvsBenchmarkVmTest)
else
  tags=(--include-tag vm --exclude-tag benchmark)
  select=(--scan-classpath "$root/integration-tests/target/vm-snapshot/test-classes" --include-package io.javalived.it.ipvs --include-package io.javalived.it.director --include-package io.javalived.it.run --include-package io.javalived.it.metrics --include-package io.javalived.it.demo --include-package io.javalived.it.control --include-package io.javalived.it.anycast)
fi
if [ -n "${VM_TEST_CLASS:-}" ]; then  # these classes only, comma-separated, e.g. VM_TEST_CLASS=io.javalived.it.control.OperatorControlVmTest
  select=()
  IFS=, read -ra classes <<< "$VM_TEST_CLASS"
  for c in "${classes[@]}"; do select+=(--select-class "$c"); done
fi

log=$(mktemp /tmp/run-vm-tests.XXXXXX)
trap 'rm -f "$log"' EXIT
set +e
JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" \
  "$vm" --mem 2G --timeout "${VM_TIMEOUT:-3600}" -- \
  java -Xmx1g -Djavalived.jar="$jar" -cp "$cp" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=tree \
  --fail-if-no-tests "${tags[@]}" "${select[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful *\]$/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed *\]$/\1/p' "$log" | tail -1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "run-vm-tests: the VM run ended with status $rc (124 = timeout, 125 = VM failure)" >&2
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
