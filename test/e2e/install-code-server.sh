#!/usr/bin/env bash
# Installs code-server (VS Code 1.96 for the browser, with a real Node
# extension host) into a cache for the e2e tests. Idempotent: a marker file
# makes a second run a no-op.
#
# code-server's own postinstall downloads things (a git dependency, ripgrep
# from GitHub), so we install with --ignore-scripts and do its steps by hand:
# the same steps work offline (npm registry only) and on a normal machine.
#
# Needs: node 20, python3, make, g++ (node-gyp), libkrb5-dev (kerberos addon),
# and ripgrep on PATH when offline (Debian: apt-get install ripgrep).
set -euo pipefail

VERSION=4.96.4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${CNN_E2E_CACHE:-$repo/.e2e-cache}"
dest="$cache/code-server-$VERSION"
marker="$dest/.installed"
# Native addons are tied to the Node ABI: a different node means a rebuild.
stamp="code-server $VERSION node-abi $(node -p process.versions.modules)"

if [[ -f "$marker" && "$(cat "$marker")" == "$stamp" ]]; then
  exit 0
fi

die() { echo "install-code-server: ERROR: $*" >&2; exit 1; }
step() { echo "install-code-server: [$((SECONDS - t0))s] $*" >&2; }
t0=$SECONDS
trap 'echo "install-code-server: FAILED at line $LINENO (exit $?): $BASH_COMMAND" >&2' ERR

# Fail early, with the fix, rather than deep inside node-gyp.
[[ "$(node -p 'process.versions.node.split(".")[0]')" == 20 ]] ||
  die "code-server $VERSION needs Node 20, found $(node --version)"
for tool in python3 make g++; do
  command -v "$tool" >/dev/null || die "$tool is missing (needed by node-gyp)"
done
command -v krb5-config >/dev/null ||
  die "Kerberos headers missing: apt-get install -y libkrb5-dev"

mkdir -p "$cache"
# Serialise concurrent installs (e.g. test files started in parallel).
exec 9>"$cache/.install-code-server.lock"
flock 9
if [[ -f "$marker" && "$(cat "$marker")" == "$stamp" ]]; then
  exit 0 # another process finished it while we waited
fi

# Build in a staging dir and move it into place at the end, so an interrupted
# run never leaves a half-installed tree behind the marker.
stage="$cache/.stage-code-server-$VERSION"
rm -rf "$stage"
mkdir -p "$stage"
npm_q=(--no-audit --no-fund --loglevel=warn)

step "npm install code-server@$VERSION (scripts off)"
npm install --prefix "$stage" "code-server@$VERSION" --ignore-scripts "${npm_q[@]}"
cs="$stage/node_modules/code-server"
vs="$cs/lib/vscode"

step "lib/vscode: take @vscode/proxy-agent from the registry, not git"
node -e '
  const fs = require("fs"), f = process.argv[1];
  const j = JSON.parse(fs.readFileSync(f, "utf8"));
  const e = j.packages["node_modules/@vscode/proxy-agent"];
  if (!e) throw new Error("no @vscode/proxy-agent entry in " + f);
  delete e.resolved; delete e.integrity;
  fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");
' "$vs/npm-shrinkwrap.json"

step "lib/vscode: npm install --omit=dev"
(cd "$vs" && npm install --omit=dev --ignore-scripts "${npm_q[@]}")

step "lib/vscode: build native addons"
(cd "$vs" && npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog \
  native-watchdog @vscode/deviceid "${npm_q[@]}")

step "lib/vscode: ripgrep"
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
if command -v rg >/dev/null; then
  ln -sfn "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
else # needs internet: @vscode/ripgrep downloads rg from GitHub
  (cd "$vs" && npm rebuild @vscode/ripgrep "${npm_q[@]}")
fi

step "lib/vscode: links that code-server's postinstall makes"
ln -sfn node_modules "$vs/node_modules.asar"
ln -sfn code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vs/bin/helpers/browser.sh"

step "lib/vscode/extensions: npm install --omit=dev"
# stdout is a long list of files its postinstall trims; errors go to stderr.
(cd "$vs/extensions" && npm install --omit=dev "${npm_q[@]}" >/dev/null)

step "argon2 (code-server's password hashing)"
npm rebuild --prefix "$stage" argon2 "${npm_q[@]}"

step "check: native addons load, ripgrep runs, code-server starts"
(cd "$vs" && node -e '
  const { createRequire } = require("module");
  const req = createRequire(process.cwd() + "/");
  for (const m of ["kerberos", "node-pty", "@parcel/watcher", "@vscode/spdlog",
                   "native-watchdog"]) req(m);
')
(cd "$stage" && node -e 'require("argon2")')
"$vs/node_modules/@vscode/ripgrep/bin/rg" --version >/dev/null
# --config: without it code-server writes ~/.config/code-server/config.yaml.
printf 'auth: none\n' >"$stage/check-config.yaml"
node "$cs/out/node/entry.js" --config "$stage/check-config.yaml" --version >/dev/null
rm "$stage/check-config.yaml"

rm -rf "$dest"
mv "$stage" "$dest"
echo "$stamp" >"$marker"
step "done: $dest"
