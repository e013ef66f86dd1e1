"""Placeholder until the sparql surface lands; registers nothing."""


def init_app(app):
    pass
