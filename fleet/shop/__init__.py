"""Selling online: each store's web shop and the orders API (issue 15)."""
