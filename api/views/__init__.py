"""The app API: thin views that parse input, call one service and shape the answer.

One module per subject: `devices` (sign-in and devices), `account` (account and keys), `vault`
(vault sync and backups), `support_requests` (owner proofs), `docs` (the documentation pages);
`base` holds what they share. `api/urls.py` imports the modules, not this package.
"""
