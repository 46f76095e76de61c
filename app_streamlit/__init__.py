"""The Streamlit app: pages and widgets only (numbers come from research.store
and research.analysis). Start it with ``disclosure app``."""
