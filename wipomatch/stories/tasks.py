"""Background work of stories (Django's Tasks API; tasks take ids and are idempotent)."""

from django_tasks import task

from .embeddings import story_embed


@task()
def embed_story(story_id: int) -> bool:
    """Store the multilingual embedding of a story that was written or edited."""
    return story_embed(story_id=story_id)
