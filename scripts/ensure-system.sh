#!/usr/bin/env bash
# Installs the Debian packages the kiosk and its tests need, where missing.
set -euo pipefail
need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
[ -f /usr/include/linux/input.h ] || need+=(linux-libc-dev)
ldconfig -p 2>/dev/null | grep -q libmtdev.so.1 || need+=(libmtdev1)  # Kivy's touch input
# The appliance's checks: systemd-analyze verify, systemd-sysusers/tmpfiles, shellcheck.
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)  # decodes the printed codes
# Fleet tests: their own nats-server (MQTT 3.1.1 with JetStream), and PostgreSQL: the local
# server on 127.0.0.1:5432 when it answers, else a throwaway cluster made with initdb.
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
# The fleet's pages in a real browser (selenium drives Debian's chromium, no download).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
python3 -c 'import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"],"Python.h")) else 1)' || need+=(python3-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q "${need[@]}"
fi
