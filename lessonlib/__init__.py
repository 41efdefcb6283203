"""The lesson's computations: data, pixels, similarity, distances, gradients, models and training.

Pure Python and PyTorch; nothing here imports streamlit.
"""
