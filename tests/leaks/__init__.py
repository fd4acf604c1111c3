"""The leak test: generated installations (`generate`), an independent oracle of what each
viewer may see (`oracle`), and a crawler that fetches every address as that viewer (`crawl`).

`tests/test_leaks.py` runs it with a small fixed budget; `bench/leaks.py` with a large one.
"""
