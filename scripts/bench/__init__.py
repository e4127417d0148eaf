"""The Open API benchmark (``make bench``, ``python -m scripts.bench``): what it does is
described in ``__main__``."""
