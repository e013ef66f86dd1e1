"""Placeholder until the explorer surface lands; registers nothing."""


def init_app(app):
    pass
