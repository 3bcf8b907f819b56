"""Screens: the main grid, a company's detail, the keys."""
