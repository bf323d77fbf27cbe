-- Stage "candidates": near-duplicate candidates of each batch document.
-- A batch document d meets, in each of its band buckets, the newest :walk documents before it
-- (from the index and from the batch); of those, the :limit that share the most buckets with it,
-- the newest first on ties. Inputs: bands (the index), batch_bands, steps (k = 1 .. :walk).
-- Most buckets hold one document: only those the index has, or the batch has twice, are ranked.
CREATE TABLE known_bands AS
SELECT bucket, doc FROM bands WHERE bucket IN (SELECT bucket FROM batch_bands);

CREATE TABLE bucket_rows AS
SELECT bucket, doc, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY doc) AS r
FROM (
  SELECT bucket, doc FROM (
    SELECT bucket, doc, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY doc DESC) AS newest
    FROM known_bands
  ) known
  WHERE newest <= :walk
  UNION ALL
  SELECT bucket, doc FROM batch_bands
  WHERE bucket IN (
    SELECT bucket FROM batch_bands GROUP BY bucket HAVING COUNT(*) > 1
    UNION
    SELECT bucket FROM known_bands
  )
) all_rows;

CREATE TABLE candidates AS
SELECT d, e, shared FROM (
  SELECT d, e, shared, ROW_NUMBER() OVER (PARTITION BY d ORDER BY shared DESC, e DESC) AS rank_
  FROM (
    SELECT q.doc AS d, p.doc AS e, CAST(COUNT(*) AS INTEGER) AS shared
    FROM bucket_rows q
    JOIN steps s ON s.k < q.r
    JOIN bucket_rows p ON p.bucket = q.bucket AND p.r = q.r - s.k
    WHERE q.doc >= :first
    GROUP BY q.doc, p.doc
  ) met
) ranked
WHERE rank_ <= :limit;
