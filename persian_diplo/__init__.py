"""persian_diplo: political entities and quotations in Persian news, as a spaCy pipeline."""
__version__ = "0.1.0"
