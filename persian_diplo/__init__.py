"""persian_diplo: political entities and quotations in Persian news, as a spaCy pipeline.

>>> import persian_diplo
>>> nlp = persian_diplo.load()
>>> doc = nlp("رئیسجمهور روسیه گفت: آماده همکاری هستیم.")
"""
from .about import __version__
from .pipeline import blank, default_pipeline_path, load
from .render import render
from .tables import to_dataframe, to_dataframes
from .text.normalizer import normalize

__all__ = ["__version__", "load", "blank", "normalize", "render", "default_pipeline_path", "to_dataframe",
           "to_dataframes"]
