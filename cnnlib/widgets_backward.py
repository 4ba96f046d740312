"""widgets_backward: placeholder, being written."""
__all__ = []
