"""Signals of the response engine, so that apps owning subjects can act on stored responses
without the engine knowing them (e.g. a problem ledger opening a case from a 反映问题 answer)."""

from django.dispatch import Signal

# Sent by services.submit_response once a new response and its answers are stored (never for a
# retried or refused submission). Arguments: response (a Response), cleaned (the form's data).
response_stored = Signal()
