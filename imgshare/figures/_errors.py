"""The error raised when a figure cannot be drawn from the frames it was given."""

from __future__ import annotations

from ..errors import ImgshareError

__all__ = ["FigureError"]


class FigureError(ImgshareError):
    """A figure's input frame or arguments do not fit the codebook or the frame contract."""
