"""Match cases: expressions of interest, mutual consent, the facilitator case board, outcomes and ratings."""
