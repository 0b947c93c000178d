"""Plain-Python presenters: each turns user intents into service calls and a view state
the Kivy screens render. No Kivy imports here, so they are tested without a window."""
