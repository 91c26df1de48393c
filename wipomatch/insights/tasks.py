"""Background work of the insights: drawing charts and building reports."""

from django_tasks import task


@task()
def charts_prepare_task(*, specs: dict) -> int:
    """Draw and store the charts whose specs are given ({digest: spec}); returns how many."""
    from .charts import cached_svg, render_svg, store_svg

    drawn = 0
    for digest, spec in specs.items():
        if cached_svg(digest) is None:
            store_svg(digest, render_svg(spec))
            drawn += 1
    return drawn


@task()
def report_build_task(*, report_id: int) -> str:
    """Build one requested report (HTML and/or PDF) and record its files and progress."""
    from .services import report_build

    report = report_build(report_id=report_id)
    return report.status
