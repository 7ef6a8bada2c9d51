"""Leaflet layers and controls whose content travels as JSON data, never as template or script source.

branca renders the script of every element and compiles that output again as a Jinja
template (`MacroElement.render` wraps it in `Element(...)`), so any text inside folium's
GeoJson, Popup or Tooltip output was executed as Jinja on the server (security review C1);
folium's Popup and Tooltip also put HTML into JavaScript template literals, where `${…}`
runs in the visitor's browser (H1). The elements here therefore

- make their script in Python from constant JavaScript plus data encoded by `js_data`, in
  which every character that means something to HTML, JavaScript template literals or Jinja
  is a \\u escape inside its JSON string;
- hand the finished script to the figure as a `_Raw` element, which is never compiled;
- build popups in the browser from HTML fragments escaped in Python (`integra.formatting`),
  and tooltips and marker titles from plain text (`textContent`, Leaflet's `title`).

The app serves the rendered document as it is (`integra.web.mapframe`); the HTML export is the same
document with its scripts inlined.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.plugins import MarkerCluster

from integra.topology import subset

# HTML (`<`, `>`, `&`, `'`), JS template literals (`` ` ``, `$`) and the two line separators that end a JS
# string in old engines. JSON uses none of them outside its strings, so they are replaced everywhere.
_UNSAFE = tuple((c, f"\\u{ord(c):04x}") for c in "<>&'`$\u2028\u2029")
# A Jinja opener (`{{`, `{%`, `{#`). JSON's own braces never form one (an object's `{` is followed by
# `"` or `}`), so every opener in the text is inside a string, and its `{` becomes `\u007b` there.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_data(value: object) -> str:
    """`value` as a JavaScript literal that is inert in any context: script, HTML, template, Jinja.

    Plain replacements over the whole text instead of a Python call per string: 20,000 partners took
    0.44 s to escape that way, a tenth of it now (rebuild after a write, issue 15).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _UNSAFE:
        text = text.replace(char, escaped)
    return _JINJA_OPEN.sub(r"\\u007b", text)


class _Raw(Element):
    """Finished script text that the figure includes as it is (branca would compile a plain Element)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Scripted(MacroElement):
    """Base of our elements: the script comes from `js()`, and is added to the figure uncompiled."""

    # Constant JavaScript; %(name)s is this element's variable, %(map)s the map's, %(data)s `data()`
    # encoded by `js_data`, %(helpers)s the browser-side helpers below.
    _js = ""

    def js(self) -> str:
        return self._js % self._fill()

    def _parent_name(self) -> str:
        """The variable of the map this element was added to (it is always added before rendering)."""
        if self._parent is None:
            raise RuntimeError(f"{self._name} wurde keiner Karte hinzugefügt")
        return self._parent.get_name()

    def _fill(self) -> dict[str, str]:
        return {
            "name": self.get_name(),
            "map": self._parent_name(),
            "data": js_data(self.data()),
            "helpers": _HELPERS,
        }

    def data(self) -> object:
        raise NotImplementedError

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's Element.render returns the text
        if isinstance(self, Layer) and self.show and self.get_name() + "_add" not in self._children:
            self.add_child(ElementAddToElement(self.get_name(), self._parent_name()), name=self.get_name() + "_add")
        figure = cast(Figure, self.get_root())
        figure.script.add_child(_Raw(self.js()), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


# Browser-side helpers every layer script starts with: popups from escaped fragments, tooltips as text.
_HELPERS = """function text(t) { var s = document.createElement('span'); s.textContent = t; return s; }
    function html(h) { var d = document.createElement('div'); d.innerHTML = h; return d; }
    function esc(t) { return String(t).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
    // An open popup pans clear of the zoom and layer buttons at the top (on a phone they covered its
    // heading and its close button) and of the credits and the legend button at the bottom.
    function popupOptions(width) {
        return {maxWidth: width, autoPanPaddingTopLeft: [10, 90], autoPanPaddingBottomRight: [10, 50]};
    }"""

_AREAS_JS = """var %(name)s = (function (d) {
    %(helpers)s
    // Fill patterns ("in Erarbeitung" is hatched, so it is not told apart by colour alone), once per document.
    (d.patterns || []).forEach(function (p) {
        if (document.getElementById(p.id)) { return; }
        var ns = 'http://www.w3.org/2000/svg', svg = document.getElementById('integra-patterns');
        if (!svg) {
            svg = document.createElementNS(ns, 'svg');
            svg.id = 'integra-patterns';
            svg.setAttribute('aria-hidden', 'true');
            svg.setAttribute('style', 'position:absolute;width:0;height:0');
            svg.appendChild(document.createElementNS(ns, 'defs'));
            document.body.appendChild(svg);
        }
        var pattern = document.createElementNS(ns, 'pattern'), rect = document.createElementNS(ns, 'rect'),
            line = document.createElementNS(ns, 'line');
        [['id', p.id], ['patternUnits', 'userSpaceOnUse'], ['width', 8], ['height', 8],
         ['patternTransform', 'rotate(45)']].forEach(function (a) { pattern.setAttribute(a[0], a[1]); });
        [['width', 8], ['height', 8], ['fill', p.fill]].forEach(function (a) { rect.setAttribute(a[0], a[1]); });
        [['x1', 0], ['y1', 0], ['x2', 0], ['y2', 8], ['stroke', p.stripe], ['stroke-width', 3]].forEach(
            function (a) { line.setAttribute(a[0], a[1]); });
        pattern.appendChild(rect);
        pattern.appendChild(line);
        svg.firstChild.appendChild(pattern);
    });
    function part(p) { return typeof p === 'number' ? d.texts[p] : p; }
    // Polygons from the TopoJSON, paired by position with the rows [key, style, name, tooltip end, popup parts].
    var shapes = topojson.feature(d.topo, d.topo.objects.areas);
    shapes.features.forEach(function (f, i) {
        var r = d.rows[i];
        f.properties = {k: r[0], s: r[1], n: r[2], t: r[2] === null ? null : r[2] + d.texts[r[3]], p: r[4]};
    });
    var layer = L.geoJson(shapes, {
        interactive: d.interactive,
        style: function (f) { return d.styles[f.properties.s]; },
        onEachFeature: function (f, l) {
            var p = f.properties;
            if (p.t) {
                l.bindTooltip(function () { return text(p.t); }, {sticky: true});
                // Screen readers name each area ("Landkreis Hof – Konzept: unbekannt"), not "graphic".
                l.on('add', function () { var el = l.getElement(); if (el) { el.setAttribute('aria-label', p.t); } });
            }
            if (p.p) {
                l.bindPopup(function () {
                    var body = p.p.map(part).join('');
                    return html('<div style="max-width:320px"><b>' + esc(p.n) + '</b>' + body + '</div>');
                }, popupOptions(d.width));
            }
            if (d.highlight) {
                l.on('mouseover', function () { l.setStyle(d.highlight); });
                l.on('mouseout', function () { layer.resetStyle(l); });
            }
        }
    });
    return layer;
})(%(data)s);"""


# topojson-client is not one of folium's assets; its CDN address only names the vendored copy (integra.assets).
TOPOJSON_JS = "https://cdn.jsdelivr.net/npm/topojson-client@3.1.0/dist/topojson-client.min.js"

# One area of an `Areas` layer: key (an AGS), style key, name (None: no tooltip or popup), index of the
# tooltip's end in `texts` (after the name), popup parts after the bold name (escaped HTML or an index
# into `texts`, like a `Markers` popup).
AreaRow = tuple[str, str, str | None, int | None, list[str | int] | None]


class Areas(JSCSSMixin, _Scripted, Layer):
    """Polygons with a style per feature (by key), a plain-text tooltip and an HTML popup made on click.

    The polygons travel as the subset of `topology` (`integra.topology`) with the rows' keys, in row
    order. A popup starts with the area's name in bold, then its parts; repeated fragments (a status
    line, a source, a link's text) are sent once in `texts`. A style may fill with one of `patterns`
    (`{"id", "fill", "stripe"}`: diagonal stripes) as `fillColor: "url(#id)"`.
    """

    _js = _AREAS_JS

    def __init__(
        self,
        topology: dict[str, Any],
        rows: Sequence[AreaRow],
        styles: Mapping[str, Mapping[str, object]],
        texts: Sequence[str],
        name: str,
        highlight: Mapping[str, object] | None = None,
        interactive: bool = True,
        popup_width: int = 360,
        patterns: Sequence[Mapping[str, str]] = (),
    ) -> None:
        Layer.__init__(self, name=name, overlay=True)
        self._name = "Areas"
        self.default_js, self.default_css = [("topojson", TOPOJSON_JS)], []
        self.topology, self.rows, self.styles, self.texts = topology, list(rows), styles, list(texts)
        self.highlight, self.interactive, self.popup_width = highlight, interactive, popup_width
        self.patterns = patterns

    def data(self) -> object:
        return {
            "topo": subset(self.topology, [row[0] for row in self.rows]),
            "rows": [list(row) for row in self.rows],
            "texts": self.texts,
            "styles": self.styles,
            "highlight": self.highlight,
            "interactive": self.interactive,
            "width": self.popup_width,
            "patterns": list(self.patterns),
        }


_MARKERS_JS = """var %(name)s = (function (d) {
    %(helpers)s
    var group = d.cluster ? L.markerClusterGroup(d.cluster) : L.featureGroup();
    var icons = d.styles.map(function (s) {
        return L.divIcon({className: s.cls, html: s.html, iconSize: [s.size, s.size], iconAnchor: s.anchor});
    });
    function part(p) { return typeof p === 'number' ? d.texts[p] : p; }
    // The markers are made in a task of their own, after the map script: the areas are drawn first
    // (with 20,000 partners the clustering takes a second, and the map stayed empty until it was done).
    setTimeout(function () {
        var markers = d.rows.map(function (r) {
            var suffix = d.styles[r[2]].suffix;  // " (Helferkreis)", not twice when the name ends in it
            var title = r[3].slice(-suffix.length) === suffix ? r[3] : r[3] + suffix;
            var marker = L.marker([r[0], r[1]], {icon: icons[r[2]], title: title});
            marker.bindTooltip(function () { return text(title); });
            marker.bindPopup(function () {
                var heading = d.heading ? '<b>' + esc(r[3]) + '</b>' : '';
                return html('<div style="max-width:' + d.width + 'px">' + heading + r[4].map(part).join('') + '</div>');
            }, popupOptions(d.width));
            return marker;
        });
        if (group.addLayers) {
            group.addLayers(markers);
        } else {
            markers.forEach(function (m) { group.addLayer(m); });
        }
        // Names on the map make room for symbols (Labels): now, and whenever clusters settled after a zoom.
        var settled = function () { if (group._map) { group._map.fire('integrasymbols'); } };
        settled();
        group.on('animationend', settled);
    }, 0);
    // A spiderfied cluster near the edge put partners under the attribution, the legend or off the
    // map (walkthrough: 3 of 6 in Nürnberg could not be tapped): pan until every leg is inside,
    // clear of the controls. Panning keeps the spider open (only a zoom closes it).
    group.on('spiderfied', function (e) {
        var map = group._map, size = map.getSize(), pad = 12;
        var shut = function (selector) {
            var el = map.getContainer().querySelector(selector);
            return el ? el.getBoundingClientRect() : null;
        };
        var frame = map.getContainer().getBoundingClientRect();
        var legend = shut('.integra-legend'), credit = shut('.leaflet-control-attribution');
        var right = size.x - pad - (legend ? Math.min(legend.width, size.x / 2) : 0);
        var bottom = size.y - pad - (credit ? frame.bottom - credit.top : 0);
        var points = e.markers.map(function (m) { return map.latLngToContainerPoint(m.getLatLng()); });
        var xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
        var dx = Math.max(0, pad + 20 - Math.min.apply(null, xs)) - Math.max(0, Math.max.apply(null, xs) + 20 - right);
        var dy = Math.max(0, pad + 20 - Math.min.apply(null, ys)) - Math.max(0, Math.max.apply(null, ys) + 20 - bottom);
        if (dx || dy) { map.panBy([-dx, -dy], {animate: false}); }
    });
    return group;
})(%(data)s);"""


class Markers(JSCSSMixin, _Scripted, Layer):
    """Markers with HTML icons (one per style), a plain-text title/tooltip and a popup made on click.

    A row is `[lat, lon, style index, title text, popup parts]`; a part is escaped HTML or the
    index of a shared fragment in `texts` (a source or Kreis line repeated for many markers is
    sent once). With `heading` a popup starts with the title in bold (escaped in the browser, so the
    name is sent once). With `cluster` (Leaflet.markercluster options) the markers are clustered.
    """

    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    _js = _MARKERS_JS

    def __init__(
        self,
        rows: list[list[object]],
        styles: list[dict[str, object]],
        texts: list[str],
        name: str,
        cluster: Mapping[str, object] | None = None,
        popup_width: int = 320,
        heading: bool = False,
    ) -> None:
        Layer.__init__(self, name=name, overlay=True)
        self._name = "Markers"
        self.rows, self.styles, self.texts, self.cluster, self.popup_width = rows, styles, texts, cluster, popup_width
        self.heading = heading
        if cluster is None:  # the plain feature group needs no markercluster files
            self.default_js, self.default_css = [], []

    def data(self) -> object:
        return {
            "rows": self.rows,
            "styles": self.styles,
            "texts": self.texts,
            "cluster": self.cluster,
            "width": self.popup_width,
            "heading": self.heading,
        }


def marker_style(css_class: str, html: str, size: int, anchor: tuple[int, int], suffix: str = "") -> dict[str, object]:
    """One icon kind of a `Markers` layer; `suffix` is appended to each marker's title (e.g. its type)."""
    return {"cls": css_class, "html": html, "size": size, "anchor": list(anchor), "suffix": suffix}


# Below this map width (px) the map is a phone's: controls start folded, one finger scrolls the page.
SMALL_MAP = 600
LAYERS_OPEN = 1000  # the layer control starts open only on maps at least this wide

_CONTROL_JS = """(function (d) {
    var map = %(map)s, control = L.control({position: d.position});
    control.onAdd = function () {
        var div = L.DomUtil.create('div', d.cls), body = div;
        if (d.toggle) {
            var button = L.DomUtil.create('button', 'integra-toggle', div);
            button.type = 'button';
            button.textContent = d.toggle;
            body = L.DomUtil.create('div', 'integra-body', div);
            var show = function (open) {
                body.style.display = open ? '' : 'none';
                button.setAttribute('aria-expanded', open ? 'true' : 'false');
            };
            show(map.getSize().x >= d.small);
            L.DomEvent.on(button, 'click', function () { show(body.style.display === 'none'); });
            map.on('popupopen', function () { if (map.getSize().x < d.small) { show(false); } });
        }
        body.innerHTML = d.html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    control.addTo(map);
})(%(data)s);"""


class Control(_Scripted):
    """A Leaflet control holding fixed HTML of ours (the legend); with `toggle` it folds behind a button,
    folded from the start on a phone and whenever a popup opens there (popups open under controls)."""

    _js = _CONTROL_JS

    def __init__(self, html: str, css_class: str, position: str = "bottomright", toggle: str | None = None) -> None:
        super().__init__()
        self._name = "IntegraControl"
        self.html, self.css_class, self.position, self.toggle = html, css_class, position, toggle

    def data(self) -> object:
        return {
            "position": self.position,
            "cls": self.css_class,
            "html": self.html,
            "toggle": self.toggle,
            "small": SMALL_MAP,
        }


class Style(_Scripted):
    """CSS for the map document, added by script: a <style> element in the header would be a branca
    template, compiled as Jinja."""

    _js = 'document.head.insertAdjacentHTML("beforeend", %(data)s);'

    def __init__(self, css: str) -> None:
        super().__init__()
        self._name = "IntegraStyle"
        self.css = css

    def data(self) -> object:
        return "<style>" + self.css + "</style>"


class Attribution(_Scripted):
    """A note in Leaflet's attribution corner (the data licences require it)."""

    _js = "%(map)s.attributionControl.addAttribution(%(data)s);"

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "IntegraAttribution"
        self.text = text

    def data(self) -> object:
        return self.text


_LAYERS_JS = """(function (d) {
    var map = %(map)s, overlays = {};
    d.names.forEach(function (name, i) { overlays[name] = [%(layers)s][i]; });
    var folded = d.fold || map.getSize().x < d.open;
    var control = L.control.layers(null, overlays, {collapsed: folded, position: 'topright'});
    control.addTo(map);
    var toggle = control.getContainer().querySelector('.leaflet-control-layers-toggle');
    toggle.title = 'Ebenen';
    toggle.setAttribute('aria-label', 'Ebenen ein- und ausblenden');
})(%(data)s);"""


class LayerSwitch(_Scripted):
    """Leaflet's layer control over our layers; folded to an icon named „Ebenen“ on maps narrower than
    LAYERS_OPEN (open, it covered 70 % of a phone's map and dwarfed the legend on a 720p screen), and always
    with `fold` (presenting: the large legend and a six-line list ran into each other at 720p)."""

    _js = _LAYERS_JS

    def __init__(self, layers: Sequence[Layer], fold: bool = False) -> None:
        super().__init__()
        self._name = "IntegraLayers"
        self.layers, self.fold = list(layers), fold

    def data(self) -> object:
        return {"names": [layer.layer_name for layer in self.layers], "open": LAYERS_OPEN, "fold": self.fold}

    def _fill(self) -> dict[str, str]:
        return {**super()._fill(), "layers": ", ".join(layer.get_name() for layer in self.layers)}


_VIEW_JS = """(function (d) {
    var map = %(map)s;
    document.title = 'Karte – Integrationslandkarte Bayern';
    document.documentElement.lang = 'de';
    function fit() {
        var width = map.getSize().x, legend = map.getContainer().querySelector('.integra-legend .integra-body');
        // Keep the region clear of the open legend (measured: the projector's is wider); 28 px at the
        // bottom: points at the edge stayed hidden under the attribution line.
        var right = legend && legend.offsetWidth ? legend.offsetWidth + 20 : (width < d.small ? 10 : d.right);
        // Not animated: a second resize during the zoom animation left the map at the old zoom.
        map.fitBounds(d.bounds, {paddingTopLeft: [10, 10], paddingBottomRight: [Math.min(right, 0.35 * width), 28],
                                 animate: false});
    }
    fit();
    map.on('resize', fit);
    // The frame can grow after the map was made (the presentation CSS makes it screen-high) without a
    // window resize event reaching Leaflet: it then kept fitting to the old 640 px.
    if (window.ResizeObserver) {
        new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
    }
    // Leaflet focuses the map on the first press (for its keyboard handler). In a frame reaching below the
    // visible part of the page (720p projector) the page then scrolled the frame into view under the
    // pointer and the click was lost. Its handler, re-registered to focus without scrolling:
    if (map.keyboard && map.keyboard.enabled()) {
        map.keyboard.disable();
        map.keyboard._onMouseDown = function () {
            if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
        };
        map.keyboard.enable();
    }
    // On a phone the attribution wraps to two lines across the bottom and covered the scale bar.
    L.control.scale({imperial: false, position: map.getSize().x < d.small ? 'topleft' : 'bottomleft'}).addTo(map);
    map.on('popupopen', function (e) {  // Leaflet names its close button in English
        var close = e.popup.getElement().querySelector('.leaflet-popup-close-button');
        if (close) { close.setAttribute('aria-label', 'Popup schließen'); close.title = 'Schließen'; }
        // A popup taller than the room between the buttons scrolls inside: on a phone the links at the end
        // of a long Kreis popup sat under the credits and could not be tapped (walkthrough, issue 15). On a
        // phone the scale bar sits below the zoom buttons, so the popup keeps clear of it too.
        var top = map.getSize().x < d.small ? 125 : 90, room = Math.max(120, map.getSize().y - top - 100);
        if (e.popup.options.maxHeight !== room) {
            e.popup.options.maxHeight = room;
            e.popup.options.autoPanPaddingTopLeft = [10, top];
            e.popup.update();
        }
    });
    [['in', 'Vergrößern'], ['out', 'Verkleinern']].forEach(function (z) {
        var button = map.zoomControl.getContainer().querySelector('.leaflet-control-zoom-' + z[0]);
        button.title = z[1];
        button.setAttribute('aria-label', z[1]);
    });
    map.attributionControl.setPrefix(
        '<a href="https://leafletjs.com" title="JavaScript-Bibliothek für Karten">Leaflet</a>');
    if (L.Browser.touch && map.getSize().x < d.small) {
        // One finger scrolls the page past the map; two fingers move and zoom it.
        map.dragging.disable();
        var hint = L.DomUtil.create('div', 'integra-gesture-hint', map.getContainer()), timer;
        hint.textContent = 'Karte mit zwei Fingern verschieben';
        map.getContainer().addEventListener('touchstart', function (e) {
            if (e.touches.length > 1) { map.dragging.enable(); hint.style.display = 'none'; return; }
            hint.style.display = 'block';
            clearTimeout(timer);
            timer = setTimeout(function () { hint.style.display = 'none'; }, 1500);
        }, {passive: true});
        map.getContainer().addEventListener('touchend', function (e) {
            if (e.touches.length < 2) { map.dragging.disable(); }
        }, {passive: true});
    }
})(%(data)s);"""


class View(_Scripted):
    """Fit `bounds` to the map's own size, on load and on every resize (a phone leaves no room for the
    legend beside the region); German zoom titles; two-finger panning on small touch screens."""

    _js = _VIEW_JS

    def __init__(self, bounds: list[list[float]], legend_width: int) -> None:
        super().__init__()
        self._name = "IntegraView"
        self.bounds, self.legend_width = bounds, legend_width

    def data(self) -> object:
        return {"bounds": self.bounds, "right": self.legend_width, "small": SMALL_MAP}


_LABELS_JS = """var %(name)s = (function (d) {
    var layer = L.layerGroup(d.rows.map(function (r) {
        var span = document.createElement('span');
        span.className = 'integra-label';
        span.textContent = r[2];
        // Below every symbol: where a name cannot avoid one, the symbol stays whole and clickable on top.
        return L.marker([r[0], r[1]], {icon: L.divIcon({className: 'integra-label-icon', html: span, iconSize: null}),
                                       interactive: false, keyboard: false, zIndexOffset: -10000});
    }));
    // Names must not cover each other ("Rosenheim" on "Lkr. Rosenheim") or run off the frame, and
    // should keep clear of symbols (KIZ, partner, cluster): in row order (the larger places first) each
    // name takes its spot, or one or two lines below or above, clear of symbols if it can; where every spot
    // touches a symbol it lies under it (zIndexOffset); where it would cover a name it is left out.
    var map = null, timer = null;  // while the layer is shown
    function symbols() {
        var icons = map.getPane('markerPane').querySelectorAll('.leaflet-marker-icon:not(.integra-label-icon)');
        return Array.prototype.map.call(icons, function (icon) { return icon.getBoundingClientRect(); });
    }
    function clear(r, boxes) {
        return boxes.every(function (p) {
            return r.right < p.left || r.left > p.right || r.bottom < p.top || r.top > p.bottom;
        });
    }
    function declutter() {
        if (!map) { return; }
        var frame = map.getContainer().getBoundingClientRect(), placed = [], icons = symbols();
        if (!frame.width || !frame.height) { return; }  // not laid out yet: the next resize comes
        layer.eachLayer(function (marker) {
            var span = marker.getElement() && marker.getElement().firstChild;
            if (!span) { return; }
            span.style.visibility = '';
            var fits = [icons, []].some(function (avoid) {
                return [0, 1, -1, 2, -2].some(function (line) {
                    span.style.marginTop = (line * 1.25) + 'em';
                    var r = span.getBoundingClientRect();
                    var inside = r.left >= frame.left && r.right <= frame.right &&
                                 r.top >= frame.top && r.bottom <= frame.bottom;
                    if (inside && clear(r, placed) && clear(r, avoid)) { placed.push(r); return true; }
                    return false;
                });
            });
            if (!fits) { span.style.visibility = 'hidden'; }
        });
    }
    // Symbols come and go after a zoom (clusters split and merge): place the names once they settled.
    function soon() { clearTimeout(timer); timer = setTimeout(declutter, 60); }
    var watcher = window.ResizeObserver ? new ResizeObserver(function () { declutter(); }) : null;
    var MOVES = 'zoomend moveend resize overlayadd overlayremove layeradd layerremove integrasymbols';
    layer.on('add', function () {
        map = layer._map;
        map.on(MOVES, soon);
        if (watcher) { watcher.observe(map.getContainer()); }  // also once the frame is laid out
        declutter();
    });
    layer.on('remove', function () {
        if (map) { map.off(MOVES, soon); }
        if (watcher) { watcher.disconnect(); }
        map = null;
    });
    return layer;
})(%(data)s);"""


class Labels(_Scripted, Layer):
    """Area names written on the map (plain text), rows `[lat, lon, text]` in order of precedence:
    a name moves a line down or up to keep clear of earlier names and of symbols; it lies under a
    symbol it cannot avoid, and is left out where it would cover another name."""

    _js = _LABELS_JS

    def __init__(self, rows: list[list[object]], name: str) -> None:
        Layer.__init__(self, name=name, overlay=True)
        self._name = "Labels"
        self.rows = rows

    def data(self) -> object:
        return {"rows": self.rows}
