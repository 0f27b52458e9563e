"""imgshare: codebook in, manuscript out, for Likert questionnaire studies."""

__version__ = "0.1.0"
