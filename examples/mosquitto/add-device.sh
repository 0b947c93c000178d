#!/usr/bin/env bash
# Add a kiosk to the broker: a password entry and its ACL block.
#   add-device.sh STORE DEVICE [PASSWD_FILE] [ACL_FILE]
# Reads the password from $POS_DEVICE_PASSWORD or asks for it (never put it on the
# command line: it would land in the shell history and in `ps`).
set -euo pipefail
store=${1:?store id}; device=${2:?device id}
passwd_file=${3:-/etc/mosquitto/passwd}; acl_file=${4:-/etc/mosquitto/acl}
if [ -z "${POS_DEVICE_PASSWORD:-}" ]; then
  read -r -s -p "password for $device: " POS_DEVICE_PASSWORD; echo
fi
[ -f "$passwd_file" ] || install -m 600 /dev/null "$passwd_file"
# mosquitto_passwd -b takes the password as an argument; feed it through a private
# temp file instead so it never appears in the process list.
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
printf '%s:%s\n' "$device" "$POS_DEVICE_PASSWORD" > "$tmp"
mosquitto_passwd -U "$tmp"
grep -v "^$device:" "$passwd_file" > "$passwd_file.new" || true
cat "$tmp" >> "$passwd_file.new" && mv "$passwd_file.new" "$passwd_file"
cat >> "$acl_file" <<ACL

# --- kiosk $device of store $store ---
user $device
topic write pos/v1/$store/$device/+
topic write pos/v1/$store/$device/cmd/+/result
topic read pos/v1/$store/$device/cmd/+
topic read pos/v1/$store/all/cmd/+
ACL
echo "added $device (store $store); reload the broker: systemctl reload mosquitto"
