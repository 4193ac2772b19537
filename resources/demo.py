"""Demo data of Chapter 3 for `manage.py seed_demo`."""

from resources.disclosure_demo import seed_demo as seed_disclosure_demo


def seed_demo(organizations) -> None:
    seed_disclosure_demo(organizations)
