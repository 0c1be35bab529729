-- Nothing to change on SQLite: its text columns already compare byte by byte (the BINARY collation), which is what
-- PostgreSQL's 0046 gives NIK and NO_KK. Kept as a script so that both databases count the same versions.
SELECT 1;
