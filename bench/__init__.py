"""Benchmarks with budgets; each module has a main()."""
