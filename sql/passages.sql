-- Stage "passages": fingerprint hits of each batch document.
-- A fingerprint keeps the postings of the first :cap documents that have it (the document
-- frequency filter: boilerplate stays linear). A batch document's fingerprint hits every kept
-- posting of an earlier document. Inputs: postings (the index), batch_fps.
-- Most fingerprints occur once: only those the index has, or the batch has twice, are ranked.
CREATE TABLE known AS
SELECT fp, doc, pos FROM postings WHERE fp IN (SELECT fp FROM batch_fps);

CREATE TABLE shared_fps AS
SELECT fp FROM batch_fps GROUP BY fp HAVING COUNT(*) > 1
UNION
SELECT fp FROM known;

CREATE TABLE kept AS
SELECT fp, doc, pos FROM (
  SELECT fp, doc, pos, ROW_NUMBER() OVER (PARTITION BY fp ORDER BY doc) AS r
  FROM (
    SELECT fp, doc, pos FROM known
    UNION ALL
    SELECT fp, doc, pos FROM batch_fps WHERE fp IN (SELECT fp FROM shared_fps)
  ) all_postings
) ranked
WHERE r <= :cap;

CREATE TABLE hits AS
SELECT f.doc AS d, k.doc AS e, f.pos AS i, k.pos AS j
FROM batch_fps f
JOIN kept k ON k.fp = f.fp AND k.doc < f.doc;
