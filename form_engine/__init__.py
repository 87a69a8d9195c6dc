"""Metadata-driven forms stored in real SQL tables.

A pure library: it takes sessions and metadata as arguments and must never import Flask
or the ``app`` package.
"""
