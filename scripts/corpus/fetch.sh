#!/usr/bin/env bash
# Makes the public model sources of the ground-truth corpus available, unmodified, under .corpus/ (gitignored):
#   .corpus/<package>-<version>/<the wheel's Python files>   e.g. .corpus/torchvision-0.28.0/torchvision/models/resnet.py
# Public code is never committed; the repository keeps only the facts measured on it (test/fixtures/corpus/).
# The wheels come from the machine's package mirror through pip (wheels are zip files); re-running is a no-op.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Pinned: test/fixtures/corpus/*.json record the sha256 of every file they describe.
PACKAGES=(
  "torchvision==0.28.0"
  "keras==3.15.1"
  "timm==1.0.29"
)
INDEX=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple)
# torchvision ships one wheel per platform; ask for the one the expectations were made with, whatever python runs pip.
PLATFORM=(--only-binary=:all: --python-version 3.11 --implementation cp --abi cp311 --platform manylinux_2_28_x86_64)

PIP=""
for candidate in python3 /work/venv/bin/python python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then PIP="$candidate -m pip"; break; fi
done

mkdir -p .corpus
for spec in "${PACKAGES[@]}"; do
  name="${spec%%==*}"
  version="${spec##*==}"
  dest=".corpus/$name-$version"
  [ -f "$dest/.complete" ] && continue
  tmp="$(mktemp -d)"
  if [ -n "$PIP" ]; then
    # pip warns that each package is absent from the other index; only real errors are shown.
    $PIP download --quiet --no-deps "${INDEX[@]}" "${PLATFORM[@]}" "$spec" -d "$tmp" 2> >(grep -v "is ignored: it is neither" >&2)
  else
    # No pip on this machine: the mirror is a plain directory of wheels with PEP 503 index pages.
    for root in /opt/pypi /opt/pypi-more; do
      wheel="$(grep -o "$name-$version-[^\"#]*\.whl" "$root/simple/$name/index.html" 2>/dev/null | head -1 || true)"
      if [ -n "$wheel" ] && [ -f "$root/files/$wheel" ]; then cp "$root/files/$wheel" "$tmp/"; break; fi
    done
  fi
  wheel="$(ls "$tmp"/"$name"-"$version"-*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$wheel" ]; then
    echo "fetch.sh: no wheel for $spec in the package mirror" >&2
    exit 1
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  # Only the Python sources: the scorer reads them as text; compiled extensions are not needed.
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$wheel" '*.py' -d "$dest"
  else
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2], [n for n in z.namelist() if n.endswith(".py")])' "$wheel" "$dest"
  fi
  echo "$spec $(sha256sum "$wheel" | cut -d' ' -f1)" >"$dest/.complete"
  rm -rf "$tmp"
  echo "fetch.sh: $spec -> $dest"
done
