#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the tests need (the system Python's
# msgpack, for the synapse-p2p interop tests, cryptography, to re-verify decision records, and iproute2, for the
# LAN discovery test's private network namespace), builds in Release
# with warnings as errors, and runs every test project. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
/usr/bin/python3 -c 'import msgpack' 2>/dev/null || missing+=(python3-msgpack)
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${missing[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Synapse.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Synapse.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo "$passed passed, $failed failed"
exit $status
