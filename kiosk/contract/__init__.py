"""What the kiosk and the fleet say to each other: topics, payload schemas (with their
versions) and the builders that produce valid documents. Pure: no paho, no sqlite, no
kiosk package other than the domain's value helpers. Both sides import only this."""
