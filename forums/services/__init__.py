"""Every write of the forums: posting (posting.py), notifications (notify.py), moderation (moderation.py)."""
