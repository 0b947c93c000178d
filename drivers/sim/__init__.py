"""Simulated twins of every device: real state, same code paths, no hardware."""
