"""The dashboard: the only package that imports Streamlit (apart from the st.secrets source)."""
