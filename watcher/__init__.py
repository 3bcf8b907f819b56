"""neowatch: fundamentals of GPU-cloud stocks beside live quotes, in the terminal."""

__version__ = "0.1.0"
