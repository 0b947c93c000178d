"""What the fleet works out from its tables: reports, the kiosk list, commands out."""
