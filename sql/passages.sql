-- Stage "passages": fingerprint hits of each batch document.
-- A fingerprint keeps the postings of the first :cap documents that have it (the document
-- frequency filter: boilerplate stays linear). A batch document's fingerprint hits every kept
-- posting of an earlier document. Inputs: postings (the index), batch_fps.
-- Most fingerprints occur once: only those the index has, or the batch has twice, are counted,
-- and only those seen more than :cap times are ranked.
CREATE TABLE known AS
SELECT fp, doc, pos FROM postings WHERE fp IN (SELECT fp FROM batch_fps);

CREATE TABLE shared_fps AS
SELECT fp, COUNT(*) AS c FROM (
  SELECT fp FROM batch_fps
  UNION ALL
  SELECT fp FROM known
) all_fps
GROUP BY fp HAVING COUNT(*) > 1;

CREATE TABLE shared_rows AS
SELECT f.fp, f.doc, f.pos, s.c FROM batch_fps f JOIN shared_fps s ON s.fp = f.fp;

CREATE TABLE kept AS
SELECT fp, doc, pos FROM shared_rows WHERE c <= :cap
UNION ALL
SELECT k.fp, k.doc, k.pos FROM known k JOIN shared_fps s ON s.fp = k.fp WHERE s.c <= :cap
UNION ALL
SELECT fp, doc, pos FROM (
  SELECT fp, doc, pos, ROW_NUMBER() OVER (PARTITION BY fp ORDER BY doc) AS r
  FROM (
    SELECT fp, doc, pos FROM known WHERE fp IN (SELECT fp FROM shared_fps WHERE c > :cap)
    UNION ALL
    SELECT fp, doc, pos FROM shared_rows WHERE c > :cap
  ) crowded
) ranked
WHERE r <= :cap;

CREATE TABLE hits AS
SELECT f.doc AS d, k.doc AS e, f.pos AS i, k.pos AS j
FROM shared_rows f
JOIN kept k ON k.fp = f.fp AND k.doc < f.doc;
