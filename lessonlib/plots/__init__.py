"""Plotly figures for the pages, one module per idea; nothing here imports streamlit."""
