# Shared set-up steps for scripts/run-app and scripts/test. Every step is
# safe to run again: it installs only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PACKAGE...: installs the Debian/Ubuntu packages not yet installed.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# What the app needs to build and run (Tauri 2 on WebKitGTK), plus Japanese fonts.
APP_PACKAGES=(build-essential curl pkg-config libssl-dev libwebkit2gtk-4.1-dev libsoup-3.0-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libdbus-1-dev fonts-noto-cjk)
# What the tests add: a virtual display, WebKit's WebDriver, Chromium, image tools.
# postgresql: the team-mode tests start a throwaway cluster with its initdb/pg_ctl (they skip without it).
# poppler-utils: the PDF export's tests read the PDF back (pdffonts, pdftotext) and render its pages (pdftoppm).
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver chromium imagemagick postgresql poppler-utils)

need_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "Installing Rust (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
}

need_node() {
  local want_major=20 want_minor=19
  if command -v node >/dev/null 2>&1; then
    local v major minor
    v="$(node --version | tr -d v)"; major="${v%%.*}"; minor="$(echo "$v" | cut -d. -f2)"
    if [ "$major" -gt "$want_major" ] || { [ "$major" -eq "$want_major" ] && [ "$minor" -ge "$want_minor" ]; }; then
      return 0
    fi
    echo "Node.js $v is too old: the UI build (Vite 8) needs Node.js 20.19 or newer." >&2
  else
    echo "Node.js is not installed: the UI build (Vite 8) needs Node.js 20.19 or newer." >&2
  fi
  echo "Install it (for example from https://nodejs.org or your distribution's backports) and run this again." >&2
  exit 1
}

# Installs the UI's exact dependencies from ui/package-lock.json and builds ui/dist.
build_ui() {
  say "Installing the UI's npm packages"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  say "Building the UI"
  (cd "$ROOT/ui" && npm run --silent build)
}

need_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "Installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
}
