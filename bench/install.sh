#!/usr/bin/env bash
# Installs the load generator bench/http.py drives (wrk, from Debian). Run as root:
#   bash bench/install.sh            # wrk only
#   bash bench/install.sh --nginx    # also nginx, for the optional static-file comparison
set -euo pipefail
command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
if [[ "${1:-}" == "--nginx" ]] && ! command -v nginx >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light
  # Where services may start, Debian starts nginx's default site (port 80, every address) on install.
  # bench/http.py runs nginx itself, on 127.0.0.1 only, with its own configuration: stop that one.
  invoke-rc.d nginx stop >/dev/null 2>&1 || true
fi
wrk --version 2>&1 | head -1 || true
