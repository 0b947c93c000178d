#!/usr/bin/env bash
# `make image-test`: boots a copy of the image under qemu-system-aarch64 (-M virt; the Pi's
# own firmware does not run there, so Debian's arm64 kernel and initrd from the image are
# given to qemu directly) and waits for kiosk-image-check's verdict on the serial console:
# the first boot makes KIOSKDATA, kiosk-agent.service runs, / is read-only,
# /var/lib/kiosk is read-write and `kiosk journal verify` passes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${IMAGE_DIR:-$repo/var/image}
limit=${IMAGE_TEST_TIMEOUT:-1800}
[ -e "$out/kiosk-arm64.img" ] || { echo "make image-test: no image in $out (make image)" >&2; exit 1; }
command -v qemu-system-aarch64 >/dev/null \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-system-arm >/dev/null

disk="$out/boot-test.img"
log="$out/boot-test.log"
cp --sparse=always "$out/kiosk-arm64.img" "$disk"
rm -f "$log"
echo "make image-test: booting under qemu (emulated arm64: minutes); console in $log" >&2
set +e
timeout "$limit" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 -no-reboot \
  -display none -monitor none -serial "file:$log" \
  -kernel "$out/vmlinuz" -initrd "$out/initrd.img" \
  -append "root=LABEL=KIOSKROOT ro console=ttyAMA0 systemd.run=/usr/local/sbin/kiosk-image-check systemd.run_success_action=poweroff systemd.run_failure_action=poweroff" \
  -drive if=none,file="$disk",format=raw,id=card -device virtio-blk-pci,drive=card \
  -netdev user,id=net -device virtio-net-pci,netdev=net
status=$?
set -e
grep 'KIOSK-CHECK' "$log" >&2 || true
rm -f "$disk"
if [ "$status" -eq 124 ]; then echo "make image-test: no verdict within ${limit} s" >&2; exit 1; fi
grep -q 'KIOSK-CHECK PASS' "$log"
