#!/usr/bin/env bash
# Installs what the test suite needs besides npm packages, where it can:
# - redis-server (Debian package): the runtime kit's cache-aside tests start one on loopback;
# - moto_server and boto3 (pip): the Terraform suite (test/terraform) plans and applies
#   every shipped stack against a local AWS API, and the Python kit's tests use them;
# - pytest, redis (redis-py) and psycopg (pip): the Python runtime kit's tests
#   (test/python, run by `npm test`); pip also packages Python handlers' requirements.
# And checks what it cannot install: terraform (1.10 or newer) and the AWS provider, as
# a plugin directory (a terraform-provider-aws_* binary under /opt, or CACHESTACK_TF_PLUGIN_DIR)
# or from the registry (CACHESTACK_TF_REGISTRY=1, needs network).
# With CI=true a missing piece is an error (exit 1); otherwise a warning, and the
# Terraform suite says what it skipped.
set -euo pipefail

problems=()
note() { echo "test-deps: $*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    note "redis-server is missing and apt-get is not available; install redis-server (7.x) and re-run"
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  note "installed $(redis-server --version | head -c 60)"
fi

# moto_server and boto3, from the configured pip index.
if ! { command -v moto_server >/dev/null 2>&1 && python3 -c 'import boto3, moto.server' >/dev/null 2>&1; }; then
  if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    if python3 -m pip install -q "moto[server]>=5.1,<6" boto3; then
      note "installed moto $(python3 -c 'import moto; print(moto.__version__)')"
    else
      problems+=("pip could not install moto[server] and boto3")
    fi
  else
    problems+=("moto_server is missing and python3 -m pip is not available (pip install \"moto[server]\" boto3)")
  fi
fi

# The Python runtime kit's test dependencies, from the configured pip index.
if ! python3 -c 'import pytest, redis, psycopg' >/dev/null 2>&1; then
  if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    if python3 -m pip install -q pytest "redis>=5" "psycopg>=3.1"; then
      note "installed pytest, redis and psycopg for the Python kit's tests"
    else
      note "pip could not install pytest, redis and psycopg; the Python kit's tests (npm test) need them"
      exit 1
    fi
  else
    note "python3 with pip is missing: npm test runs the Python kit's tests (test/python) and packages Python handlers"
    exit 1
  fi
fi

if ! command -v terraform >/dev/null 2>&1; then
  problems+=("terraform is not on PATH (install Terraform 1.10 or newer: https://developer.hashicorp.com/terraform/install)")
fi

if [ "${CACHESTACK_TF_REGISTRY:-}" != "1" ]; then
  if [ -n "${CACHESTACK_TF_PLUGIN_DIR:-}" ]; then
    [ -d "$CACHESTACK_TF_PLUGIN_DIR" ] || problems+=("CACHESTACK_TF_PLUGIN_DIR=$CACHESTACK_TF_PLUGIN_DIR is not a directory")
  elif ! find /opt -maxdepth 8 -name 'terraform-provider-aws_*' -type f 2>/dev/null | grep -q .; then
    problems+=("no AWS provider under /opt (a terraform-provider-aws_* binary in a plugin directory); set CACHESTACK_TF_PLUGIN_DIR=DIR, or CACHESTACK_TF_REGISTRY=1 to download it")
  fi
fi

if [ "${#problems[@]}" -gt 0 ]; then
  for p in "${problems[@]}"; do note "$p"; done
  if [ "${CI:-}" = "true" ]; then
    note "CI=true: the Terraform suite cannot run; fix the above"
    exit 1
  fi
  note "the Terraform suite (test/terraform) will be skipped"
fi
