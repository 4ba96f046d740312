"""plot_training: placeholder, being written."""
__all__ = []
