"""Package metadata: the one place the version is written."""
__title__ = "persian_diplo"
__version__ = "0.1.0"
