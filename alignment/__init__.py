"""alignment: trace every piece of tech work back to a business goal."""

__version__ = "0.1.0"
