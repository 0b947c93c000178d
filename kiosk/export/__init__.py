"""Report files for people: PDF and CSV forms of the X, Z and shift reports."""
