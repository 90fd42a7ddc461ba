package org.ssdspark.eval;

/** What a ranked detection counts as. IGNORED: its best ground truth is a difficult object. */
public enum MatchOutcome {
    TRUE_POSITIVE, FALSE_POSITIVE, IGNORED
}
