"""Support console, tickets and knowledge base."""
