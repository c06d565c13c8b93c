"""Forum pages, by subject: read by anybody, written by verified members, moderated by support staff."""
