"""Placeholder until the reconcile surface lands; registers nothing."""


def init_app(app):
    pass
