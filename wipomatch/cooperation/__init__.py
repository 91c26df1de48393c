"""Cooperation initiatives: parties and roles, derived modality, results, progress reports, IATI export."""
