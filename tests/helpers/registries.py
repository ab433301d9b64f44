"""Registry entries tests append to a sample world's registry."""

# A source on a port where nothing listens: every fetch fails (format with port=).
DEAD_SOURCE = """
- id: deadsource
  name: Dead Source
  country: NL
  language: nl
  homepage: http://127.0.0.1:{port}/
  local: true
  feeds:
  - url: http://127.0.0.1:{port}/{{date}}/rss.xml
    kind: rss
"""
