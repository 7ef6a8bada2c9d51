"""A folium map turned into streamlit-folium's component arguments once, then shown many times.

`st_folium` renders the whole folium tree on every call (three Jinja passes; ~0.3 s for the
Bavarian Kreise map) and mutates the map while doing so — its script grows with every call,
so a cached map object cannot be handed to it twice. We therefore keep what `st_folium`
would send (made with streamlit-folium's own helpers) in an immutable `MapFrame`, cache that
per view and data state, and send it to streamlit-folium's component ourselves. A filter
change back to a view seen before then costs a cache lookup instead of a rebuild.
`tests/test_maps.py` checks that the frame carries the same arguments and script statements
as what `st_folium` sends for the same map, so an upgrade of the pinned streamlit-folium that
changes these private helpers fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import streamlit_folium
from streamlit import runtime

from integra.assets import elements


@dataclass(frozen=True)
class MapFrame:
    """Everything streamlit-folium's frontend needs to draw one map."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    digest: str  # of the script without element ids, made once: hashing 0.5 MB on every rerun costs


def _links(fmap: folium.Map, attribute: str) -> tuple[str, ...]:
    """The script or stylesheet URLs the map's elements declare, in order, without repeats."""
    urls = (url for element in elements(fmap) for _, url in getattr(element, attribute, ()))
    return tuple(dict.fromkeys(urls))


def frame_of(fmap: folium.Map) -> MapFrame:
    """Render `fmap` once; the map must not be used afterwards (rendering renames its elements)."""
    # The steps of `st_folium` in its order: the figure, body and header, the script last (it
    # renames the elements, the map to "map_div"). `st_folium` renders the map a second time,
    # which only repeats each marker's `setIcon` line; rendering once saves a third of the time.
    fmap.get_root().render()
    html = streamlit_folium._get_html(fmap)
    header = streamlit_folium._get_header(fmap)
    script = streamlit_folium._get_map_string(fmap)
    map_id = streamlit_folium.get_full_id(fmap)
    return MapFrame(
        script,
        header,
        html,
        map_id,
        _links(fmap, "default_css"),
        _links(fmap, "default_js"),
        streamlit_folium.generate_js_hash(script),
    )


def register_component() -> None:
    """Make the runtime serve streamlit-folium's frame. `declare_component` registers it only when the
    module is first imported inside a script run; the server imports it earlier (`integra.web.warm`)."""
    runtime.get_instance().component_registry.register_component(streamlit_folium._component_func)


def show(frame: MapFrame, key: str, height: int) -> None:
    """Draw the frame at full container width; panning and zooming never rerun the script."""
    streamlit_folium._component_func(
        script=frame.script,
        header=frame.header,
        html=frame.html,
        id=frame.map_id,
        # The same key for the same map: Streamlit keeps the drawn map when nothing changed.
        key=f"{key}_{frame.digest}",
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(frame.css_links),
        js_links=list(frame.js_links),
        wrap_longitude=False,
    )
