"""Success stories, best practices and lessons learned, reviewed before publication."""
