"""The till as an appliance: systemd notification, provisioning, updates and backups.

These modules sit beside the CLI (they are what `kiosk provision|update|backup|restore`
run) and may use storage; the UI only uses the pure ``sd_notify``.
"""
