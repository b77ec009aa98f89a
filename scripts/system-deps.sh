#!/usr/bin/env bash
# Debian packages the site and the test stages need: Chromium for the browser journeys, a Noto font with
# Urdu coverage so Urdu pages and dossier PDFs render, Pango for WeasyPrint (the dossier PDF), pdftotext to
# read the PDF back in the browser test, and the PostgreSQL 15 server binaries. Installed only when missing.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf ] || missing+=(fonts-noto-core)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]}; install them with apt-get as root" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
status=0
for package in "${missing[@]}"; do  # one at a time: one unavailable package does not stop the others
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null || { echo "system-deps: $package failed" >&2; status=1; }
done
exit $status
