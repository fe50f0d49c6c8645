"""Completion records, the evidence: ``chain`` writes every record (append-only, hash-chained)
and verifies the chain, ``completions`` turns what courses and quizzes report into records and
completed assignments, ``certificates`` issues and verifies certificates, ``transcripts`` renders
a person's training record."""
