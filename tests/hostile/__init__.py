"""Hostile inputs for officestar: the corpus generator and the tools it needs."""
