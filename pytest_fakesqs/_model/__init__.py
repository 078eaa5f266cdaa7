"""The queue model: pure Python, no botocore, the clock passed in.

A future wire mode or localhost server reuses this package unchanged.
"""
