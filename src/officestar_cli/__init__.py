"""officestar: a rubric-scored office contest, from blank score workbooks to signed results."""

__version__ = "0.1.0"
