#!/usr/bin/env bash
# The Debian packages Terang needs outside Python: WeasyPrint's Pango and HarfBuzz, a font
# with Indonesian glyphs, gettext for the translations, poppler to look at PDFs and
# Chromium for the browser tests (Playwright drives /usr/bin/chromium, never a download),
# Caddy and PgBouncer for the two-node test (tests/multinode: as docker-compose.yml runs them).
# As root, installs what is missing; otherwise prints the apt-get line to run.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext poppler-utils chromium caddy pgbouncer)
python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Terang needs these Debian packages; please run:"
  echo "  sudo apt-get install -y ${missing[*]}"
fi
