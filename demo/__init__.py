"""The demo dataset of `make run` (`manage.py load_demo_data`): two years of one province's work, written through the
same `do_*` services as the app, with the clock travelled to each moment (`generate.py`; synthetic people in
`people.py`; the two sample directives in `directives/`)."""
