"""Reports with pictures: a self-contained HTML page and PNG charts, drawn from the analytics.

`gather.py` reads the analytics into plain data (`data.py`); `charts.py` and `network_map.py` draw it
with matplotlib; `render.py` makes SVG or PNG; `html.py` and `png.py` write the files.
"""
