"""Kivy screens: layout in .kv, a little glue in Python; behaviour is the presenters'."""
