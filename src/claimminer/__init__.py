"""claimminer: grounded, checkable claims about cytokines and immune cells from abstracts."""

__version__ = "0.1.0"
