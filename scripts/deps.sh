# Sourced by scripts/test and scripts/demo: installs the Debian 12 packages
# Lookback needs to build and run its tests, quietly when they are present.

LOOKBACK_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-networkauth-dev libqt6sql6-sqlite qt6-svg-dev
  qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools libgl-dev qt6-httpserver-dev qt6-websockets-dev qt6-translations-l10n
  qtkeychain-qt6-dev libgmime-3.0-dev
  dovecot-imapd openssl
  xvfb xauth dbus gnome-keyring libsecret-tools
  clang libclang-rt-14-dev
  fonts-dejavu-core tzdata
)

lookback_install_deps() {
  local missing=()
  local pkg
  for pkg in "${LOOKBACK_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Lookback needs these Debian packages and cannot install them without root: ${missing[*]}" >&2
      return 1
    fi
  fi
  echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The npm packages the tests use (a generic OAuth server for the sign-in
# tests), installed with the machine's npm into a folder of the build, once.
LOOKBACK_NPM_PACKAGES=(oauth2-mock-server@9.3.0)

lookback_install_npm_tools() {
  local dir="$1"
  if ! command -v npm >/dev/null 2>&1; then
    lookback_install_deps nodejs npm || return 1
  fi
  local want="${LOOKBACK_NPM_PACKAGES[*]}"
  if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$want" ]; then
    return 0
  fi
  mkdir -p "$dir"
  echo "Installing npm packages for the tests: $want"
  if npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${LOOKBACK_NPM_PACKAGES[@]}" >/dev/null; then
    echo "$want" > "$dir/.installed"
  else
    echo "npm install failed: the tests that need $want will skip, saying so" >&2
  fi
}
