"""The clinical core: patient features and published evidence in, a sourced assessment out.

Nothing here imports Django or touches I/O, so it can be read and tested on its own.
"""
