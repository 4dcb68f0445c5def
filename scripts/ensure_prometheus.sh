#!/usr/bin/env bash
# Idempotent: installs Debian's `prometheus` package for `promtool` (the alert-rule tests run
# `promtool check rules` and `promtool test rules`), or fails loudly. The package's service is
# not started: the tests need only the binary.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "promtool is missing and this user cannot apt-get install prometheus" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# policy-rc.d 101: the package's post-install must not start a Prometheus daemon here
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ "$had_policy" = 1 ] || printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d
ok=1
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; } >"$log" 2>&1 \
  || ok=0
[ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
if [ "$ok" = 0 ]; then
  cat "$log" >&2; echo "could not install prometheus (see above)" >&2; exit 1
fi
rm -f "$log"
command -v promtool >/dev/null
