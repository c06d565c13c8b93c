"""Community forums: size limits, rate limits, held posts, digests and auto-close."""

from .celery import CELERY_BEAT_SCHEDULE

# Size limits (characters).
FORUMS_TITLE_MIN_CHARS = 10
FORUMS_TITLE_MAX_CHARS = 150
FORUMS_POST_MIN_CHARS = 2
FORUMS_POST_MAX_CHARS = 20000
FORUMS_FLAG_NOTE_MAX_CHARS = 500
FORUMS_SEARCH_MAX_CHARS = 200

# Pages.
FORUMS_TOPICS_PER_PAGE = 25
FORUMS_POSTS_PER_PAGE = 20
# The moderation page shows the oldest this many posts of each queue (held, flagged): acting on
# them brings the next ones in. Its log is cut into pages of FORUMS_MODERATION_LOG_PER_PAGE.
FORUMS_MODERATION_QUEUE_SHOWN = 50
FORUMS_MODERATION_LOG_PER_PAGE = 50

# Rate limits ("count/period", see core/ratelimit.py), per member unless said otherwise.
FORUMS_RATE_TOPICS = "5/h"
FORUMS_RATE_POSTS = "30/h"
FORUMS_RATE_EDITS = "30/h"
FORUMS_RATE_FLAGS = "20/d"
FORUMS_RATE_SEARCH_PER_IP = "60/m"
FORUMS_RATE_SUGGEST_PER_IP = "120/m"

# Discourse's trust level 0: a member's posts are held for a moderator until this many of
# their posts have been approved (or published).
FORUMS_TRUSTED_AFTER_POSTS = 1

# At most one e-mail per followed topic or category in this window; posts arriving meanwhile
# are gathered into one digest sent when the window ends.
FORUMS_DIGEST_WINDOW_MINUTES = 60

# Solved topics close to new replies this many days after the answer was accepted (None: never).
FORUMS_SOLVED_AUTO_CLOSE_DAYS = 14

# Added to the one schedule in place (as resets.py does): every settings module shares its dict.
CELERY_BEAT_SCHEDULE["forums-digests"] = {"task": "forums.tasks.digests_send", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["forums-close-solved"] = {"task": "forums.tasks.solved_topics_close", "schedule": 3600.0}
