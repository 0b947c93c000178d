"""QRIS acquirers behind one port: Midtrans Core API, a BI-SNAP acquirer, a simulated twin."""
