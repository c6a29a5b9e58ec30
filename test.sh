#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the tests need (the system Python's
# msgpack, for the synapse-p2p interop tests, cryptography, to re-verify decision records, iproute2, for the
# LAN discovery test's private network namespace, and rabbitmq-server, for the relay backplane tests), starts
# RabbitMQ on loopback unless one is already there (and stops it afterwards), builds in Release with warnings as
# errors, and runs every test project. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

missing=()
/usr/bin/python3 -c 'import msgpack' 2>/dev/null || missing+=(python3-msgpack)
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || missing+=(rabbitmq-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packaged broker service from starting on every interface at install: this script starts its own.
  blocker=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    blocker=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$blocker" >/dev/null
    as_root chmod 755 "$blocker"
  fi
  installed=0
  { as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}"; } || installed=$?
  if [ -n "$blocker" ]; then as_root rm -f "$blocker"; fi
  [ "$installed" -eq 0 ] || exit "$installed"
fi

# The broker of the relay backplane tests: loopback only, and stopped on exit if this script started it.
broker_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
export SYNAPSE_RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/"
ctl=$(PATH="$PATH:/usr/sbin" command -v rabbitmqctl || echo /usr/sbin/rabbitmqctl)
if ! broker_up; then
  # Only a broker this script started is stopped and restarted by the tests (SYNAPSE_RABBITMQCTL).
  if [ "$(id -u)" -eq 0 ]; then export SYNAPSE_RABBITMQCTL="$ctl"; else export SYNAPSE_RABBITMQCTL="sudo -n $ctl"; fi
  echo "Starting rabbitmq-server on 127.0.0.1"
  # Its data and logs go to a fresh directory, removed afterwards: the tests leave nothing in the system's broker.
  broker_dir=$(mktemp -d)
  as_root chown rabbitmq:rabbitmq "$broker_dir" 2>/dev/null || true
  broker_log=$(mktemp)
  as_root env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_MNESIA_BASE="$broker_dir/mnesia" RABBITMQ_LOG_BASE="$broker_dir/log" \
    PATH="$PATH:/usr/sbin" rabbitmq-server >"$broker_log" 2>&1 &
  trap 'echo "Stopping rabbitmq-server"; as_root "$ctl" shutdown >/dev/null 2>&1 || true; as_root epmd -kill >/dev/null 2>&1 || true; as_root rm -rf "$broker_dir" "$broker_log"' EXIT
  for _ in $(seq 1 120); do broker_up && break; sleep 1; done
  broker_up || { echo "rabbitmq-server did not start:"; cat "$broker_log"; exit 1; }
  as_root "$ctl" await_startup >/dev/null
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
