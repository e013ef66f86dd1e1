"""Linking: propose links from imported records to lessons, instruments, themes, helix actor types and
readiness scales (:mod:`.matcher`), and keep them as resources in VoID linksets (:mod:`.linkset`)."""
