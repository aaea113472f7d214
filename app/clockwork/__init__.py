"""Clockwork Recruiting API client: endpoint table, auth, typed errors, retry, rate limit."""
