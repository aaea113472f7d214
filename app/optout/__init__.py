"""Opt-outs and the suppression list: who must never be emailed again, and why."""
