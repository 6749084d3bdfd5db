#!/usr/bin/env bash
# The CLI as a device installs it, checked: `dotnet publish -r RID --self-contained` makes a trimmed,
# composite ReadyToRun build (src/IronWasm.Cli/IronWasm.Cli.csproj). Trimming drops framework members
# that no code names, and the engine reaches some through reflection on types it makes at run time,
# which the trimmer cannot see; the xunit suites run untrimmed builds and would not notice. So this
# publishes the CLI, and the spec runner with the same trimming, and runs them: the spec suite, every
# bench program (cache miss, cache hit and --no-cache, output compared with the untrimmed CLI's), the
# demo, a hardware command with a YAML policy, multi-value --invoke, a precompiled module (IL, and with
# native code from crossgen2), a trap and a malformed module.
#
#   tests/published/check.sh [--keep]     (output in artifacts/published-check; --keep reuses a publish)
#
# Ends with one line "published build: N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "published build: no .NET runtime identifier known for $(uname -m)"; echo "published build: 0 passed, 1 failed"; exit 1 ;;
esac

out=artifacts/published-check
keep=false
[ "${1:-}" = "--keep" ] && keep=true
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "  ok    $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && echo "$2" | head -n 20 | sed 's/^/        /'; }
finish() { echo "published build: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

publish() { # project, directory
  dotnet publish "$1" -c Release -r "$rid" --self-contained -p:PublishTrimmed=true -p:TrimMode=partial \
    -p:SuppressTrimAnalysisWarnings=true --artifacts-path "$out/build" -o "$2" -v quiet -clp:ErrorsOnly --nologo
}

if ! $keep || [ ! -x "$out/cli/ironwasm" ]; then
  echo "== publishing the CLI ($rid, self-contained, trimmed, composite ReadyToRun; about a minute)"
  rm -rf "$out"
  # The CLI's own project settings make the trimmed composite build; no properties passed.
  if ! dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained --artifacts-path "$out/build" -o "$out/cli" -v quiet -clp:ErrorsOnly --nologo; then
    fail "publish the CLI"; finish
  fi
  echo "== publishing the spec runner, trimmed the same way"
  publish tests/IronWasm.SpecTests "$out/spec" || { fail "publish the spec runner"; finish; }
fi
cli=$out/cli/ironwasm

# The untrimmed CLI of ./test.sh's build, as the reference for program output.
reference=src/IronWasm.Cli/bin/Release/net10.0/ironwasm
if [ ! -x "$reference" ]; then
  dotnet build src/IronWasm.Cli -c Release -v quiet -clp:ErrorsOnly --nologo || { fail "build the reference CLI"; finish; }
fi

work=$(mktemp -d /tmp/ironwasm-published-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
export IRONWASM_CACHE_DIR=$work/cache

echo "== spec suite with the trimmed engine"
spec_log=$work/spec.log
"$out/spec/IronWasm.SpecTests" >"$spec_log" 2>&1
spec_status=$?
if grep -q "^spec suite skipped" "$spec_log"; then
  echo "  skip  $(grep '^spec suite skipped' "$spec_log")"
elif [ $spec_status -eq 0 ] && grep -qE "^spec total: [0-9]+ passed, 0 failed" "$spec_log"; then
  pass "spec suite: $(grep -E '^spec total:' "$spec_log" | sed 's/^spec total: //')"
else
  fail "spec suite (exit $spec_status)" "$(grep -E 'FAIL|^spec total' "$spec_log")"
fi

echo "== bench programs: cache miss, cache hit, --no-cache"
for wasm in bench/programs/*.wasm; do
  name=$(basename "$wasm" .wasm)
  expected=$("$reference" run --no-cache "$wasm" 2>&1)
  for mode in miss hit no-cache; do
    flags=(); [ "$mode" = no-cache ] && flags=(--no-cache)
    actual=$("$cli" run "${flags[@]}" "$wasm" 2>&1)
    if [ $? -eq 0 ] && [ "$actual" = "$expected" ]; then pass "$name ($mode)"; else fail "$name ($mode)" "$actual"; fi
  done
done

echo "== commands"
demo=$("$cli" demo 2>&1)
if [ $? -eq 0 ] && grep -q "Every guest ran in this one process" <<<"$demo"; then pass "demo"; else fail "demo" "$(tail -n 20 <<<"$demo")"; fi

lsusb=$("$cli" run guests/usb/lsusb.wasm --sim default --policy src/IronWasm.Hardware/Policy/example.policy.yaml -- -v 2>&1)
if [ $? -eq 0 ] && grep -q "interface 0 alt 0" <<<"$lsusb"; then pass "hardware command under a YAML policy (lsusb)"; else fail "hardware command under a YAML policy (lsusb)" "$lsusb"; fi

devices=$("$cli" devices --sim src/IronWasm.Hardware/Simulation/example.sim.yaml 2>&1)
if [ $? -eq 0 ] && [ "$devices" = "$("$reference" devices --sim src/IronWasm.Hardware/Simulation/example.sim.yaml 2>&1)" ]; then
  pass "devices from a YAML simulation file"
else
  fail "devices from a YAML simulation file" "$devices"
fi

cat >"$work/values.wat" <<'EOF'
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "triple") (param i64) (result i32 i64 f64) i32.const 7 local.get 0 f64.const 2.5)
  (func (export "many") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 17 i32.add)
  (func (export "boom") (result i32) unreachable))
EOF
for check in "add 2 3|5" "triple 9|7 9 2.5" "many 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 40|41"; do
  words=${check%%|*}; want=${check#*|}
  # --invoke takes the export's name, then FILE, then its arguments.
  set -- $words; export_name=$1; shift
  got=$("$cli" run --invoke "$export_name" "$work/values.wat" "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$want" ]; then pass "--invoke $export_name ($want)"; else fail "--invoke $export_name: want '$want'" "$got"; fi
done

trap_output=$("$cli" run --invoke boom "$work/values.wat" 2>&1)
trap_status=$?
if [ $trap_status -eq 134 ] && grep -qi "unreachable" <<<"$trap_output"; then pass "a trap exits 134 with its reason"; else fail "a trap exits 134 (got $trap_status)" "$trap_output"; fi

printf '\0asm\1\0\0\0\1' >"$work/malformed.wasm"
bad_output=$("$cli" run "$work/malformed.wasm" 2>&1)
bad_status=$?
if [ $bad_status -ne 0 ] && [ $bad_status -ne 134 ] && grep -q "malformed module" <<<"$bad_output"; then pass "a malformed module is refused with a message"; else fail "a malformed module is refused (exit $bad_status)" "$bad_output"; fi

if "$cli" compile guests/hello.wasm -o "$work/hello.iwm" >/dev/null 2>&1 \
   && [ "$("$cli" run --allow-precompiled "$work/hello.iwm" 2>&1)" = "$("$reference" run --no-cache guests/hello.wasm 2>&1)" ]; then
  pass "compile, then run the precompiled module"
else
  fail "compile, then run the precompiled module"
fi

# Native code ahead of time: crossgen2 (the package the publish above restored) against this trimmed,
# composite framework; the module must run the same and JIT-compile none of its functions.
if "$cli" compile --native guests/hello.wasm -o "$work/hello-native.iwm" >"$work/native.txt" 2>&1 \
   && DOTNET_JitStdOutFile=$work/jit-native.txt DOTNET_JitDisasmSummary=1 "$cli" run --allow-precompiled "$work/hello-native.iwm" >"$work/native-run.txt" 2>&1 \
   && [ "$(cat "$work/native-run.txt")" = "$("$reference" run --no-cache guests/hello.wasm 2>&1)" ] \
   && [ -s "$work/jit-native.txt" ] && ! grep -q "IronWasm.Generated" "$work/jit-native.txt"; then
  pass "compile --native, then run it: no guest function JIT-compiled ($(wc -l <"$work/jit-native.txt") methods JIT-compiled in all)"
else
  fail "compile --native, then run it without JIT-compiling guest functions" "$(cat "$work/native.txt" "$work/native-run.txt" 2>/dev/null; grep "IronWasm.Generated" "$work/jit-native.txt" 2>/dev/null | head -n 5)"
fi

cache_output=$("$cli" cache 2>&1)
clear_output=$("$cli" cache clear 2>&1)
if grep -q "compiled modules" <<<"$cache_output" && grep -q "deleted [0-9]* compiled modules" <<<"$clear_output" \
   && [ -z "$(ls "$IRONWASM_CACHE_DIR/modules")" ]; then
  pass "cache, cache clear"
else
  fail "cache, cache clear" "$cache_output
$clear_output"
fi

# The runtime's own entry points into CoreLib (cast and statics helpers, AppContext.Setup, ...) must
# come precompiled; they are JIT-compiled at every start when trimming drops the descriptors that make
# crossgen2 compile them (see IronWasm.Cli.csproj).
"$cli" run guests/hello.wasm >/dev/null 2>&1
DOTNET_JitStdOutFile=$work/jit.txt DOTNET_JitDisasmSummary=1 "$cli" run guests/hello.wasm >/dev/null 2>&1
runtime_helpers=$(grep -cE "CastHelpers|StaticsHelpers|AppContext:Setup" "$work/jit.txt" 2>/dev/null)
if [ -s "$work/jit.txt" ] && [ "${runtime_helpers:-1}" -eq 0 ]; then
  pass "the runtime's CoreLib entry points are precompiled ($(wc -l <"$work/jit.txt") methods JIT-compiled by a cached hello)"
else
  fail "the runtime's CoreLib entry points are precompiled" "$(grep -E 'CastHelpers|StaticsHelpers|AppContext:Setup' "$work/jit.txt" 2>/dev/null | head -n 5)"
fi

finish
