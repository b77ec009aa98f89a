#!/usr/bin/env bash
# Debian packages the site and the test stages need: Chromium for the browser journeys, a Noto font with
# Urdu coverage so Urdu pages and dossier PDFs render, Pango for WeasyPrint (the dossier PDF), pdftotext to
# read the PDF back in the tests, Node.js and npm to install axe-core (the accessibility checks), the PostgreSQL server binaries and Redis (the several-servers stage),
# LibreOffice Writer (headless) to convert exported .docx and .odt documents to PDF in the tests.
# Installed only when missing.
# With --check: install nothing; name each missing package and what needs it, and exit 1 if any is missing.
set -uo pipefail
missing=()
why=()
need() {  # need PACKAGE REASON: record a missing package
  missing+=("$1"); why+=("$1 ($2)")
}
command -v chromium >/dev/null 2>&1 || need chromium "the browser journeys"
command -v node >/dev/null 2>&1 || need nodejs "npm, which installs axe-core for the accessibility checks"
command -v npm >/dev/null 2>&1 || need npm "installing axe-core (package.json) for the accessibility checks"
[ -e /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf ] || need fonts-noto-core "Urdu in pages and PDFs"
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need libpangoft2-1.0-0 "WeasyPrint, the dossier PDF"
command -v pdftotext >/dev/null 2>&1 || need poppler-utils "pdftotext, reading the dossier PDF back in tests"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need postgresql "the PostgreSQL test stage and benchmarks"
command -v redis-server >/dev/null 2>&1 || need redis-server "the several-servers test stage (shared rate limits)"
command -v soffice >/dev/null 2>&1 || need libreoffice-writer "converting exported documents to PDF in the tests"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
  printf 'system-deps: missing Debian package %s\n' "${why[@]}" >&2
  exit 1
fi
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
