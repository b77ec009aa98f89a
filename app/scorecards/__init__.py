"""Government scorecards: per recipient institution, what it was sent and how it answered (issue 27, section 2).
Built on responses and submissions, read-only; its blueprint is "institutions" (/institutions/…), the pages of the
recipient institutions."""
