#!/usr/bin/env bash
# Runs every test of the project: the xunit suites, then the WebAssembly spec suite
# (../shared/wasm-testsuite; skipped with a message where it is absent).
# Ends with one line "N passed, N failed" summing all of them; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

log_dir=${TEST_LOG_DIR:-artifacts/test-logs}
mkdir -p "$log_dir"

# crossgen2, the SDK's ReadyToRun compiler, for the tests of `compile --native` (they are skipped,
# saying so, where it cannot be had): restoring any project that publishes ReadyToRun fetches it.
echo "== crossgen2 for the native-code tests"
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
probe=$(mktemp -d)
printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><RuntimeIdentifier>%s</RuntimeIdentifier><PublishReadyToRun>true</PublishReadyToRun></PropertyGroup></Project>\n' "$rid" > "$probe/probe.csproj"
dotnet restore "$probe/probe.csproj" --nologo -v quiet >/dev/null 2>&1 || echo "note: crossgen2 could not be restored; the native-code tests will be skipped"
rm -rf "$probe"

echo "== build"
if ! dotnet build IronWasm.slnx -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; status=0

echo "== unit tests (xunit)"
dotnet test IronWasm.slnx -c Release --no-build --nologo 2>&1 | tee "$log_dir/xunit.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# VSTest prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12"
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(grep -E "Failed:[[:space:]]*[0-9]+, Passed:[[:space:]]*[0-9]+" "$log_dir/xunit.log" \
          | sed -E 's/.*Failed:[[:space:]]*([0-9]+), Passed:[[:space:]]*([0-9]+).*/\1 \2/')

echo "== WebAssembly spec suite"
dotnet tests/IronWasm.SpecTests/bin/Release/net10.0/IronWasm.SpecTests.dll "$@" 2>&1 | tee "$log_dir/spec.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
line=$(grep -E "^spec total: [0-9]+ passed, [0-9]+ failed" "$log_dir/spec.log" | tail -n 1)
if [ -n "$line" ]; then
  sp=$(echo "$line" | sed -E 's/^spec total: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
  sf=$(echo "$line" | sed -E 's/^spec total: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
  passed=$((passed + sp)); failed=$((failed + sf))
else
  echo "spec runner printed no total"; status=1; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
exit $status
