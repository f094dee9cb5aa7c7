"""Annotation records: schema and validation, statistics, markup authoring, converters."""
