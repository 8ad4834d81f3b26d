"""Assisted rating (issue 19 §4): a cadre or grid worker (网格员) helps a resident rate on the
helper's own phone. The resident answers, the helper only taps; the response is stored with
channel=assisted and names the helper. The rated cadre may never help rate himself, neither
from his account nor from a phone his account has signed in on (`StaffDevice`)."""
