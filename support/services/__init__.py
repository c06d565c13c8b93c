"""Every write of the support console, tickets and knowledge base.

Console actions write two audit rows: a `SupportAuditEvent` (who, when, what, for the
support team) and a `SecurityEvent` of type SUPPORT_ACTION on the account (what the
customer sees in their history). Nothing here reads or writes a password, a hint, a key,
a verifier, a device token or vault data.

One module per subject: `audit`, `console` (account actions), `tickets`, `knowledge`.
"""
