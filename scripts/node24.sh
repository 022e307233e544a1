#!/bin/sh
# Runs a command on the Node.js 24 that the project brings with it.
#
# The machines ship Node.js 20; the project targets Node.js 24 LTS. The npm package
# `node` (a devDependency) carries a Node 24 binary, so once node_modules exists,
# putting node_modules/.bin first on PATH makes every script run on Node 24.
# The first run installs with Node 24 through npx: under Node 20, npm would skip
# optional native packages such as Hardhat's EDR.
set -e
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "harvest: installing dependencies with Node.js 24 (first run)" >&2
  npx -y -p node@24 -- npm ci --no-audit --no-fund
fi
PATH="$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
