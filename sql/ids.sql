-- Stage "ids": batch documents whose id the index already holds (a batch that has any is refused).
CREATE TABLE taken AS
SELECT b.doc, b.id FROM batch_docs b JOIN docs d ON d.id = b.id;
