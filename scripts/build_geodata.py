#!/usr/bin/env python3
"""Build openly licensed geodata for Bavaria (Kreise, Regierungsbezirke, Gemeinden, PLZ).

Inputs (all public, see README.md for licences and required attribution):

  * BKG VG5000 "ebenen" shapefiles, Stand 01.01.2021 (dl-de/by-2-0),
    as committed in github.com/Praesklepios/geoGermany
  * Destatis GV100AD Gemeindeverzeichnis, Gebietsstand 30.11.2023
    (population 31.12.2022), as committed in github.com/theodm/python-gemeindeverzeichnis
  * GeoNames postal codes for Germany (CC BY 4.0), as converted to CSV in
    github.com/zauberware/postal-codes-json-xml-csv (data/DE.zip)

Two ways to point the script at its inputs:

  1. Bare git directories of the three repositories (e.g. snapshots obtained with
     `git clone --bare`); the files are read at the pinned commits below:

       python build_geodata.py --out OUTDIR \
           --geogermany-git PATH/TO/geoGermany.git \
           --gv100-git PATH/TO/python-gemeindeverzeichnis.git \
           --geonames-git PATH/TO/postal-codes-json-xml-csv.git

  2. Plain files:

       python build_geodata.py --out OUTDIR --vg-dir DIR_WITH_VGxxx_{KRS,GEM}.shp \
           --vg-prefix VG5000 --gv100-file GV100AD_301123.txt --geonames-csv zipcodes.de.csv

     Any BKG VG product in the "ebenen" layout (VG250, VG1000, VG2500, VG5000) works
     because they share one attribute schema; use --simplify-deg for the finer ones.

Requires: geopandas>=1.0, shapely>=2.0, pyogrio, pyproj, pandas (topojson only when
--simplify-deg > 0; matplotlib only for --png).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

# --------------------------------------------------------------------------- sources
SOURCES = {
    "vg": {
        "repo": "Praesklepios/geoGermany",
        "commit": "7af434f1917117f1101e6f2237b3c50422cc46bc",
        "dir": "geogermany/bkgdata/vg5000_01-01.gk3.shape.ebenen/vg5000_ebenen_0101",
        "prefix": "VG5000",
        "stand": "01.01.2021",
    },
    "gv100": {
        "repo": "theodm/python-gemeindeverzeichnis",
        "commit": "a86721ffd34cdebd5cfba4316db23b9f320afaf4",
        "path": "gemeindeverzeichnis/data/GV100AD_301123.txt",
    },
    "geonames": {
        "repo": "zauberware/postal-codes-json-xml-csv",
        "commit": "a6e8df1e94385a76d8c8c2f8260b2cd020298c19",
        "path": "data/DE.zip",
        "member": "zipcodes.de.csv",
    },
}

REGBEZ = {
    "091": "Oberbayern",
    "092": "Niederbayern",
    "093": "Oberpfalz",
    "094": "Oberfranken",
    "095": "Mittelfranken",
    "096": "Unterfranken",
    "097": "Schwaben",
}
# Expected numbers of (Landkreise, kreisfreie Städte) per Regierungsbezirk.
EXPECTED_KREISE = {
    "091": (20, 3),
    "092": (9, 3),
    "093": (7, 3),
    "094": (9, 4),
    "095": (7, 5),
    "096": (9, 3),
    "097": (10, 4),
}
# Textkennzeichen (TKZ) of GV100AD Satzart 60 (Gemeinde).
GEM_TKZ = {
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Gemeinde",
    "65": "Gemeindefreies Gebiet (bewohnt)",
    "66": "Gemeindefreies Gebiet",
    "67": "Große Kreisstadt",
}
KRS_TKZ = {"41": "Kreisfreie Stadt", "44": "Landkreis"}

POP_DATE = "2022-12-31"  # Bevölkerungsstand carried by GV100AD Gebietsstand 30.11.2023
GRID = 1e-5  # coordinate grid in degrees (~1 m); also the output precision (5 decimals)
METRIC_CRS = 25832  # ETRS89 / UTM 32N, for centroids and distances


# --------------------------------------------------------------------------- input
def git_show(gitdir: str, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={gitdir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def materialise_inputs(args, tmp: Path) -> tuple[Path, str, Path, Path]:
    """Return (vg_dir, vg_prefix, gv100_file, geonames_csv)."""
    if args.geogermany_git:
        s = SOURCES["vg"]
        vg_dir = tmp / "vg"
        vg_dir.mkdir()
        for lyr in ("KRS", "GEM"):
            for ext in ("shp", "shx", "dbf", "prj", "cpg"):
                name = f"{s['prefix']}_{lyr}.{ext}"
                (vg_dir / name).write_bytes(git_show(args.geogermany_git, s["commit"], f"{s['dir']}/{name}"))
        vg_prefix = s["prefix"]
    else:
        vg_dir, vg_prefix = Path(args.vg_dir), args.vg_prefix
    if args.gv100_git:
        s = SOURCES["gv100"]
        gv100_file = tmp / Path(s["path"]).name
        gv100_file.write_bytes(git_show(args.gv100_git, s["commit"], s["path"]))
    else:
        gv100_file = Path(args.gv100_file)
    if args.geonames_git:
        s = SOURCES["geonames"]
        raw = git_show(args.geonames_git, s["commit"], s["path"])
        geonames_csv = tmp / s["member"]
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            geonames_csv.write_bytes(z.read(s["member"]))
    else:
        geonames_csv = Path(args.geonames_csv)
    return vg_dir, vg_prefix, gv100_file, geonames_csv


def read_gv100(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Parse the fixed-width GV100AD file (UTF-8 as stored in the source repo)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the original Destatis download is ISO-8859-1
        text = raw.decode("latin-1")
    gem, krs, rb = [], [], {}
    for line in text.splitlines():
        sa = line[:2]
        if line[10:12] != "09":
            continue
        stand = line[2:10]
        name = line[22:72].strip()
        if sa == "20":
            rb[line[10:13]] = name
        elif sa == "40":
            krs.append({"ags": line[10:15], "name_official": name, "tkz": line[122:124], "gv_stand": stand})
        elif sa == "60":
            gem.append(
                {
                    "ags": line[10:18],
                    "vb": line[18:22],
                    "name_official": name,
                    "tkz": line[122:124],
                    "area_km2": int(line[128:139]) / 100.0,
                    "population": int(line[139:150]),
                    "plz": line[165:170].strip(),
                    "plz_unique": line[170:175].strip() == "",
                    "gv_stand": stand,
                }
            )
    return pd.DataFrame(gem), pd.DataFrame(krs), rb


def read_vg_layer(vg_dir: Path, prefix: str, layer: str) -> gpd.GeoDataFrame:
    g = gpd.read_file(vg_dir / f"{prefix}_{layer}.shp")
    g = g[g["AGS"].str.startswith("09")]
    # GF 9 (VG5000/VG2500: "mit Struktur"), GF 4 (VG250/VG1000: land areas with structure).
    g = g[g["GF"].astype(int).isin([4, 9])]
    g = g.dissolve(by="AGS", aggfunc="first", as_index=False)
    return g.to_crs(4326)


# --------------------------------------------------------------------------- geometry
def polygonal(geom):
    """make_valid may return GeometryCollections; keep only the polygonal parts."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = []
    for g in getattr(geom, "geoms", []):
        if g.geom_type == "Polygon":
            parts.append(g)
        elif g.geom_type == "MultiPolygon":
            parts.extend(g.geoms)
    return MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else Polygon())


def clean(gs: gpd.GeoSeries) -> gpd.GeoSeries:
    geoms = shapely.make_valid(gs.values)
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    # Snap to a 1e-5 degree grid: identical shared vertices stay identical, output stays valid.
    geoms = shapely.set_precision(geoms, GRID)
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    return gpd.GeoSeries(geoms, index=gs.index, crs=gs.crs)


def topo_simplify(gdf: gpd.GeoDataFrame, tol_deg: float) -> gpd.GeoDataFrame:
    """Topology-preserving simplification (shared borders are simplified once)."""
    import topojson as tp

    topo = tp.Topology(
        gdf, prequantize=False, topology=True, toposimplify=tol_deg, simplify_with="shapely", prevent_oversimplify=True
    )
    out = topo.to_gdf()
    out = out.set_crs(4326, allow_override=True)
    return out[gdf.columns]


def rep_points(gs: gpd.GeoSeries) -> gpd.GeoSeries:
    """Centroid if it lies inside the polygon, else a representative point (WGS84)."""
    m = gs.to_crs(METRIC_CRS)
    cen = m.centroid
    inside = cen.within(m)
    pts = cen.where(inside, m.representative_point())
    return gpd.GeoSeries(pts, crs=METRIC_CRS).to_crs(4326)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    if path.exists():
        path.unlink()
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "5", "WRITE_NAME": "NO"},
    )


# --------------------------------------------------------------------------- names
def norm_name(s: str) -> str:
    s = s.lower().replace("ß", "ss")
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"\bst\.\s*", "sankt ", s)
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def name_core(s: str) -> str:
    """'Neumarkt i.d.OPf.' -> 'neumarkt', 'Pfaffenhofen an der Ilm' -> 'pfaffenhofen'."""
    n = norm_name(re.split(r"[,(]", s)[0])
    n = re.split(r"\b(?:a|i|am|an|im|in|ob|b|bei|v|vor|a d|i d|o d|an der|in der|ob der|im)\b", n)[0]
    return n.strip()


# --------------------------------------------------------------------------- build
def build(args) -> dict:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {}
    with tempfile.TemporaryDirectory() as td:
        vg_dir, vg_prefix, gv100_file, geonames_csv = materialise_inputs(args, Path(td))
        gv_gem, gv_krs, gv_rb = read_gv100(gv100_file)
        krs = read_vg_layer(vg_dir, vg_prefix, "KRS")
        gem = read_vg_layer(vg_dir, vg_prefix, "GEM")
        geonames = pd.read_csv(geonames_csv, dtype=str, keep_default_na=False)

    report["invalid_input"] = {"kreise": int((~krs.is_valid).sum()), "gemeinden": int((~gem.is_valid).sum())}

    # ---------------- Kreise
    krs = krs.rename(columns={"AGS": "ags", "GEN": "name_bkg"})
    krs["kind"] = krs["BEZ"].map({"Kreisfreie Stadt": "Kreisfreie Stadt", "Landkreis": "Landkreis"})
    if krs["kind"].isna().any():
        raise SystemExit(f"unexpected BEZ values: {krs.loc[krs['kind'].isna(), 'BEZ'].unique()}")
    krs = krs.merge(gv_krs[["ags", "name_official", "tkz"]], on="ags", how="left", validate="1:1")
    # Destatis spelling ("Mühldorf a.Inn"); BKG writes "Mühldorf a. Inn". Drop ", Landeshauptstadt".
    krs["name"] = krs["name_official"].str.split(",").str[0].str.strip().fillna(krs["name_bkg"])
    bad_kind = krs[krs["tkz"].map(KRS_TKZ) != krs["kind"]]
    report["kreise_kind_mismatch_vs_gv100"] = bad_kind["ags"].tolist()
    krs["name_long"] = krs["kind"] + " " + krs["name"]
    krs["regbez_code"] = krs["ags"].str[:3]
    krs["regbez"] = krs["regbez_code"].map(REGBEZ)
    pop_k = gv_gem.groupby(gv_gem["ags"].str[:5])["population"].sum()
    area_k = gv_gem.groupby(gv_gem["ags"].str[:5])["area_km2"].sum().round(2)
    krs["population"] = krs["ags"].map(pop_k).astype("Int64")
    krs["population_date"] = POP_DATE
    krs["area_km2"] = krs["ags"].map(area_k)
    krs["geometry"] = clean(krs.geometry)
    cols_k = [
        "ags",
        "name",
        "kind",
        "name_long",
        "name_official",
        "regbez_code",
        "regbez",
        "population",
        "population_date",
        "area_km2",
        "geometry",
    ]
    krs = gpd.GeoDataFrame(krs[cols_k].sort_values("ags").reset_index(drop=True), crs=4326)

    # ---------------- Gemeinden
    gem = gem.rename(columns={"AGS": "ags", "GEN": "name_bkg"})
    gem["vg_bez"] = gem["BEZ"]
    gem = gem.merge(
        gv_gem[["ags", "name_official", "tkz", "population", "area_km2", "plz"]],
        on="ags",
        how="left",
        validate="1:1",
        indicator=True,
    )
    gem["in_gv100"] = gem["_merge"] == "both"
    # GV100 names carry a type suffix (", St", ", M", ", GKSt", ", Landeshauptstadt"); strip it.
    gem["name"] = gem["name_official"].str.replace(r",\s*(St|M|GKSt|Landeshauptstadt)$", "", regex=True)
    gem["name"] = gem["name"].fillna(gem["name_bkg"])
    gem["kind"] = gem["tkz"].map(GEM_TKZ)
    gem.loc[~gem["in_gv100"], "kind"] = gem.loc[~gem["in_gv100"], "vg_bez"]
    gem["is_gemeinde"] = ~gem["kind"].str.startswith("Gemeindefreies")
    gem["kreis_ags"] = gem["ags"].str[:5]
    gem["population"] = gem["population"].astype("Int64")
    gem["population_date"] = POP_DATE
    gem["geometry"] = clean(gem.geometry)
    cols_g = [
        "ags",
        "name",
        "name_official",
        "kind",
        "is_gemeinde",
        "kreis_ags",
        "population",
        "population_date",
        "area_km2",
        "plz",
        "in_gv100",
        "geometry",
    ]
    gem = gpd.GeoDataFrame(gem[cols_g].sort_values("ags").reset_index(drop=True), crs=4326)
    if args.simplify_deg > 0:
        # Simplify the finest level once, topology-preserving, and rebuild the Kreise from it
        # so that Gemeinden stay exactly nested in their Kreise.
        gem = topo_simplify(gem, args.simplify_deg)
        gem["geometry"] = clean(gem.geometry)
        kgeom = gem.dissolve(by="kreis_ags").geometry
        krs["geometry"] = clean(gpd.GeoSeries(krs["ags"].map(kgeom).values, index=krs.index, crs=4326))

    # ---------------- Regierungsbezirke (dissolved from the Kreise -> identical borders)
    rbz = krs.dissolve(by="regbez_code", aggfunc={"population": "sum", "ags": "count"}, as_index=False)
    rbz = rbz.rename(columns={"regbez_code": "code", "ags": "n_kreise"})
    rbz["name"] = rbz["code"].map(REGBEZ)
    rbz["name_gv100"] = rbz["code"].map(gv_rb)
    rbz["population_date"] = POP_DATE
    rbz["geometry"] = clean(rbz.geometry)
    rbz = gpd.GeoDataFrame(rbz[["code", "name", "n_kreise", "population", "population_date", "geometry"]], crs=4326)
    report["regbez_name_mismatch_vs_gv100"] = [c for c in REGBEZ if gv_rb.get(c) != REGBEZ[c]]

    report["gv100_gemeinden_without_geometry"] = sorted(set(gv_gem["ags"]) - set(gem["ags"]))
    report["geometry_without_gv100"] = gem.loc[~gem["in_gv100"], ["ags", "name", "kind"]].to_dict("records")

    # gazetteer
    pts = rep_points(gem.geometry)
    kname = krs.set_index("ags")["name_long"]
    gaz = pd.DataFrame(
        {
            "ags": gem["ags"],
            "name": gem["name"],
            "name_official": gem["name_official"],
            "kind": gem["kind"],
            "kreis_ags": gem["kreis_ags"],
            "kreis_name": gem["kreis_ags"].map(kname),
            "regbez": gem["ags"].str[:3].map(REGBEZ),
            "population": gem["population"],
            "plz": gem["plz"],
            "lat": pts.y.round(5),
            "lon": pts.x.round(5),
        }
    )

    # ---------------- PLZ (GeoNames)
    gn = geonames[
        (geonames["community_code"].str.startswith("09")) & geonames["state"].isin(["Bayern", "Bavaria"])
    ].copy()
    gn["kind"] = np.where(gn["state"] == "Bayern", "regular", "large_recipient")
    gn["lat"] = gn["latitude"].astype(float)
    gn["lon"] = gn["longitude"].astype(float)
    gpts = gpd.GeoDataFrame(gn, geometry=gpd.points_from_xy(gn["lon"], gn["lat"]), crs=4326)
    # spatial: point in (generalised) Gemeinde polygon
    gm = gem[["ags", "geometry"]].to_crs(METRIC_CRS)
    gp = gpts.to_crs(METRIC_CRS)
    j = gpd.sjoin(gp, gm, how="left", predicate="within")
    j = j[~j.index.duplicated(keep="first")]
    gn["gem_spatial"] = j["ags"].values
    # names, grouped by Kreis
    by_kreis: dict[str, list[tuple[str, str, str]]] = {}
    core_of = {}
    for a, n in zip(gem["ags"], gem["name"], strict=True):
        by_kreis.setdefault(a[:5], []).append((a, norm_name(n), name_core(n)))
        core_of[a] = name_core(n)

    def name_match(place: str, kreis: str):
        p_full, p_core = norm_name(place), name_core(place)
        cands = by_kreis.get(kreis, [])
        exact = [a for a, full, core in cands if full == p_full]
        if len(exact) == 1:
            return exact[0]
        core = [a for a, full, c in cands if c and c == p_core]
        return core[0] if len(core) == 1 else None

    def nearest_in_kreis(pt, kreis: str):
        sub = gm[gm["ags"].str[:5] == kreis]
        if sub.empty:
            return None
        return sub["ags"].iloc[int(np.argmin(sub.distance(pt).values))]

    final, method = [], []
    for place, kreis, kd, sp, pt in zip(
        gn["place"], gn["community_code"], gn["kind"], gn["gem_spatial"], gp.geometry, strict=True
    ):
        nm = name_match(place, kreis) if kd == "regular" else None
        sp = sp if isinstance(sp, str) else None
        if nm:
            final.append(nm)
            method.append("name_in_kreis")
        elif sp and sp[:5] == kreis:
            final.append(sp)
            method.append("point_in_polygon")
        elif sp and kd == "regular" and core_of.get(sp) and core_of[sp] == name_core(place):
            # GeoNames' Kreis code is wrong here (e.g. Lisberg): polygon and name agree.
            final.append(sp)
            method.append("point_in_polygon_name_confirmed")
        else:
            # point outside the generalised polygons or in a neighbouring Kreis:
            # trust the GeoNames Kreis and take its nearest Gemeinde
            final.append(nearest_in_kreis(pt, kreis))
            method.append("nearest_in_geonames_kreis")
    gn["gem_name"] = [
        name_match(p, k) if kd == "regular" else None
        for p, k, kd in zip(gn["place"], gn["community_code"], gn["kind"], strict=True)
    ]
    gn["gemeinde_ags"] = final
    gn["gemeinde_match"] = method
    both = gn["gem_name"].notna()
    report["plz"] = {
        "rows": len(gn),
        "rows_regular": int((gn["kind"] == "regular").sum()),
        "rows_large_recipient": int((gn["kind"] == "large_recipient").sum()),
        "distinct_plz": int(gn["zipcode"].nunique()),
        "distinct_plz_regular": int(gn.loc[gn["kind"] == "regular", "zipcode"].nunique()),
        "match_counts": gn["gemeinde_match"].value_counts().to_dict(),
        "name_vs_spatial_agree": (
            f"{int((gn.loc[both, 'gem_name'] == gn.loc[both, 'gem_spatial']).sum())}/{int(both.sum())}"
        ),
        "geonames_kreis_vs_final_gemeinde_kreis_mismatch": gn.loc[
            gn["community_code"] != gn["gemeinde_ags"].str[:5], ["zipcode", "place", "community_code", "gemeinde_ags"]
        ].to_dict("records"),
    }
    gname = gem.set_index("ags")["name"]
    plz = (
        pd.DataFrame(
            {
                "plz": gn["zipcode"],
                "place": gn["place"],
                "kind": gn["kind"],
                "gemeinde_ags": gn["gemeinde_ags"],
                "gemeinde_name": gn["gemeinde_ags"].map(gname),
                "gemeinde_match": gn["gemeinde_match"],
                "kreis_ags": gn["gemeinde_ags"].str[:5],
                "kreis_ags_geonames": gn["community_code"],
                "kreis_name_geonames": gn["community"],
                "lat": gn["lat"].round(5),
                "lon": gn["lon"].round(5),
            }
        )
        .sort_values(["plz", "kind", "place"], ascending=[True, False, True])
        .reset_index(drop=True)
    )

    def per_plz(df: pd.DataFrame) -> pd.Series:
        reg = df[df["kind"] == "regular"]
        use = reg if len(reg) else df
        g_mode = use["gemeinde_ags"].mode().sort_values().iloc[0]
        return pd.Series(
            {
                "places": "; ".join(dict.fromkeys(use["place"])),
                "only_large_recipients": len(reg) == 0,
                "gemeinde_ags": g_mode,
                "gemeinde_name": gname.get(g_mode),
                "n_gemeinden": use["gemeinde_ags"].nunique(),
                "kreis_ags": g_mode[:5],
                "lat": round(use["lat"].mean(), 5),
                "lon": round(use["lon"].mean(), 5),
            }
        )

    plz_u = plz.groupby("plz").apply(per_plz, include_groups=False).reset_index()

    # ---------------- write
    write_geojson(krs, out / "kreise_bayern.geojson")
    write_geojson(rbz, out / "regierungsbezirke_bayern.geojson")
    write_geojson(gem, out / "gemeinden_bayern.geojson")
    gaz.to_csv(out / "gemeinden_bayern_gazetteer.csv", index=False, encoding="utf-8")
    plz.to_csv(out / "plz_bayern.csv", index=False, encoding="utf-8")
    plz_u.to_csv(out / "plz_bayern_unique.csv", index=False, encoding="utf-8")

    verify(out, report)
    if args.png:
        render_png(out, Path(args.png))
    return report


# --------------------------------------------------------------------------- checks
def verify(out: Path, report: dict) -> None:
    k = gpd.read_file(out / "kreise_bayern.geojson")
    r = gpd.read_file(out / "regierungsbezirke_bayern.geojson")
    g = gpd.read_file(out / "gemeinden_bayern.geojson")
    counts = {}
    for code, (lk, kfs) in EXPECTED_KREISE.items():
        sub = k[k["ags"].str[:3] == code]
        got = (int((sub["kind"] == "Landkreis").sum()), int((sub["kind"] == "Kreisfreie Stadt").sum()))
        counts[f"{code} {REGBEZ[code]}"] = {
            "landkreise": got[0],
            "kreisfreie_staedte": got[1],
            "expected": [lk, kfs],
            "ok": got == (lk, kfs),
        }
    gem_only = g[g["is_gemeinde"]]
    report["verify"] = {
        "kreise_rows": len(k),
        "kreise_per_regbez": counts,
        "kreise_all_ok": all(c["ok"] for c in counts.values()),
        "kreise_ags_unique": bool(k["ags"].is_unique),
        "regbez_rows": len(r),
        "gemeinden_rows": len(g),
        "gemeinden_proper": len(gem_only),
        "gemeindefreie_gebiete": int((~g["is_gemeinde"]).sum()),
        "gemeinden_kreis_ags_all_in_kreise": bool(g["kreis_ags"].isin(k["ags"]).all()),
        "kreise_without_gemeinde": sorted(set(k["ags"]) - set(g["kreis_ags"])),
        "invalid_geometries": {
            "kreise": int((~k.is_valid).sum()),
            "regbez": int((~r.is_valid).sum()),
            "gemeinden": int((~g.is_valid).sum()),
        },
        "empty_geometries": int(k.is_empty.sum() + r.is_empty.sum() + g.is_empty.sum()),
        "population_bayern_from_kreise": int(k["population"].sum()),
        "population_bayern_from_gemeinden": int(g["population"].fillna(0).sum()),
        "population_bayern_from_regbez": int(r["population"].sum()),
        "bounds_kreise": [round(float(v), 4) for v in k.total_bounds],
        "area_km2_geometry": round(float(k.to_crs(METRIC_CRS).area.sum() / 1e6), 1),
        "area_km2_gv100": round(float(k["area_km2"].sum()), 1),
        "gaps_or_overlaps_km2_kreise_vs_union": round(
            float(abs(k.to_crs(METRIC_CRS).area.sum() - k.to_crs(METRIC_CRS).union_all().area) / 1e6), 3
        ),
        "gaps_or_overlaps_km2_gemeinden_vs_union": round(
            float(abs(g.to_crs(METRIC_CRS).area.sum() - g.to_crs(METRIC_CRS).union_all().area) / 1e6), 3
        ),
        "file_sizes_bytes": {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()},
    }
    # nesting: union of a Kreis' Gemeinden vs the Kreis polygon
    km = k.to_crs(METRIC_CRS).set_index("ags").geometry
    gu = g.to_crs(METRIC_CRS).dissolve(by="kreis_ags").geometry
    sd = pd.Series({a: km[a].symmetric_difference(gu[a]).area / 1e6 for a in km.index})
    report["verify"]["gemeinden_vs_kreise_symdiff_km2"] = {
        "total": round(float(sd.sum()), 3),
        "max": round(float(sd.max()), 3),
        "max_kreis": sd.idxmax(),
    }


def render_png(out: Path, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = gpd.read_file(out / "kreise_bayern.geojson")
    r = gpd.read_file(out / "regierungsbezirke_bayern.geojson")
    fig, ax = plt.subplots(figsize=(10, 10))
    k.plot(ax=ax, column="regbez", cmap="Pastel1", edgecolor="#555", linewidth=0.4)
    r.boundary.plot(ax=ax, color="black", linewidth=1.2)
    for _, row in k.iterrows():
        p = row.geometry.representative_point()
        label = row["name"] if row["kind"] == "Landkreis" else row["name"] + " (St)"
        ax.annotate(label, (p.x, p.y), fontsize=4.5, ha="center")
    ax.set_title("Bayern – 96 Kreise, 7 Regierungsbezirke (© GeoBasis-DE / BKG 2021, Daten verändert)")
    ax.set_aspect(1 / np.cos(np.radians(49)))
    fig.savefig(png, dpi=150, bbox_inches="tight")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--geogermany-git", help="bare git dir of Praesklepios/geoGermany")
    ap.add_argument("--gv100-git", help="bare git dir of theodm/python-gemeindeverzeichnis")
    ap.add_argument("--geonames-git", help="bare git dir of zauberware/postal-codes-json-xml-csv")
    ap.add_argument("--vg-dir", help="directory with <prefix>_KRS and <prefix>_GEM shapefiles")
    ap.add_argument("--vg-prefix", default="VG5000")
    ap.add_argument("--gv100-file")
    ap.add_argument("--geonames-csv", help="zipcodes.de.csv (zauberware layout)")
    ap.add_argument(
        "--simplify-deg",
        type=float,
        default=0.0,
        help="topology-preserving simplification tolerance in degrees (0 = none; "
        "VG5000 is already generalised for 1:5,000,000)",
    )
    ap.add_argument("--png", help="optional: render the Kreise to this PNG file")
    ap.add_argument("--report", help="optional: write the verification report (JSON) here")
    args = ap.parse_args(argv)
    if not (args.geogermany_git or args.vg_dir):
        ap.error("need --geogermany-git or --vg-dir")
    if not (args.gv100_git or args.gv100_file):
        ap.error("need --gv100-git or --gv100-file")
    if not (args.geonames_git or args.geonames_csv):
        ap.error("need --geonames-git or --geonames-csv")
    report = build(args)
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if report["verify"]["kreise_all_ok"] and report["verify"]["gemeinden_kreis_ags_all_in_kreise"] else 1


if __name__ == "__main__":
    sys.exit(main())
