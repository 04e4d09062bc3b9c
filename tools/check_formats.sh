#!/usr/bin/env bash
# Fails when a committed generated file differs from what tools/gen_formats.py makes
# of rtl/data/toe_formats.json now: the one source of truth and its outputs agree.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tools/gen_formats.py rtl/data/toe_formats.json "$tmp"
status=0
for f in rtl/toe_pkg.sv include/toe_formats.h docs/formats.md; do
  if ! diff -u "$f" "$tmp/$f"; then
    echo "check_formats: $f is stale: run 'make formats' and commit it" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "check_formats: rtl/toe_pkg.sv, include/toe_formats.h, docs/formats.md match rtl/data/toe_formats.json"
exit $status
