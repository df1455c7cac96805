"""The Qt window. The only package that imports Qt; everything it does is a core operation."""
