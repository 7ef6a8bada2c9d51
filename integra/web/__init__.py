"""The web layer: everything that knows Streamlit, the browser or the HTTP server.

Only `app.py`, `server.py` and the page scripts in `views/` import it; the rest of `integra`
(store, queries, maps, import, export) knows nothing of Streamlit and serves the CLI and tests too.

- `data`: cached reads of the store;  `filters`: shared filters and the switches that set them
- `widgets`: tables, downloads, Steckbrief, footer;  `mapview`: the map on a page
- `melden`: the public report form;  `login`, `upload`, `redaktion`: the editors' pages
- `cards`: tables as cards on a phone
- `mapframe`: a folium map rendered once into a document;  `maproutes`: the server's routes for such
  documents and the vendored scripts they load;  `german` (+ `deutsch.js`),
  `shell`: Streamlit's own texts and page shell in German;  `serving`: error boundary and limits
"""
