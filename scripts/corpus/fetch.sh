#!/usr/bin/env bash
# Makes the public model sources of the ground-truth corpus available, unmodified, under .corpus/ (gitignored):
#   .corpus/<package>-<version>/<the package's Python files>   e.g. .corpus/torchvision-0.28.0/torchvision/models/resnet.py
# Public code is never committed; the repository keeps only the facts measured on it (test/fixtures/corpus/).
# Wheels come from the machine's package mirror through pip (wheels are zip files), Debian packages through
# apt-get download (the .deb alone, no dependencies, nothing installed); re-running is a no-op.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Pinned: test/fixtures/corpus/*.json record the sha256 of every file they describe.
PACKAGES=(
  "torchvision==0.28.0"
  "keras==3.15.1"
  "timm==1.0.29"
  "pytorch-lightning==2.6.6"
)
# Debian's packages of older releases, written in older styles: torchvision 0.14 and keras-applications 1.0.8.
DEBS=(
  "python3-torchvision=0.14.1-2"
  "python3-keras-applications=1.0.8+ds-1"
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
      wheel="$(grep -o "${name//-/_}-$version-[^\"#]*\.whl" "$root/simple/$name/index.html" 2>/dev/null | head -1 || true)"
      if [ -n "$wheel" ] && [ -f "$root/files/$wheel" ]; then cp "$root/files/$wheel" "$tmp/"; break; fi
    done
  fi
  # Wheel file names spell the project with underscores (pytorch_lightning-2.6.6-py3-none-any.whl).
  wheel="$(ls "$tmp"/"${name//-/_}"-"$version"-*.whl 2>/dev/null | head -1 || true)"
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

for spec in "${DEBS[@]}"; do
  name="${spec%%=*}"
  version="${spec#*=}"
  dest=".corpus/$name-$version"
  [ -f "$dest/.complete" ] && continue
  tmp="$(mktemp -d)"
  # apt-get download needs the package lists; a fresh machine may not have them yet.
  if ! (cd "$tmp" && apt-get download -qq "$spec" 2>/dev/null); then
    apt-get update -qq
    (cd "$tmp" && apt-get download -qq "$spec")
  fi
  deb="$(ls "$tmp"/*.deb | head -1)"
  rm -rf "$dest"
  mkdir -p "$dest" "$tmp/x"
  dpkg-deb -x "$deb" "$tmp/x"
  # The package root is dist-packages: .corpus/python3-torchvision-0.14.1-2/torchvision/models/resnet.py
  (cd "$tmp/x/usr/lib/python3/dist-packages" && find . -name '*.py' -exec cp --parents {} "$OLDPWD/$dest/" \;)
  echo "$spec $(sha256sum "$deb" | cut -d' ' -f1)" >"$dest/.complete"
  rm -rf "$tmp"
  echo "fetch.sh: $spec -> $dest"
done
