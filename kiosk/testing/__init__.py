"""Test helpers shipped with the package, as gpiozero ships its mock pins."""
