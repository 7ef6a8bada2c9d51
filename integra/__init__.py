"""Integrationslandkarte Bayern: store, seed, queries and maps behind the Streamlit pages."""
