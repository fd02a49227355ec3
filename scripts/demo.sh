#!/bin/sh
# make demo: the tyst workflow on corpus-samples/.
set -eu
cd "$(dirname "$0")/.."
export PATH="$PWD/bin:$PATH"
echo "== tyst-pnr: personnummer in corpus-samples (last four digits masked)"
tyst-pnr corpus-samples/*.txt || [ $? -eq 1 ]
