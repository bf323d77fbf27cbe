-- Stage "commit": the rows a batch adds to the index (what its segments hold).
-- new_postings: the batch's postings that the document frequency filter keeps (a fingerprint
-- seen once anywhere is kept as it is). A view: the segment is written from it as it is computed.
CREATE VIEW new_postings AS
SELECT fp, doc, pos FROM kept WHERE doc >= :first
UNION ALL
SELECT fp, doc, pos FROM batch_fps WHERE fp NOT IN (SELECT fp FROM shared_fps);
