-- What writing brotli and gzip siblings of an artifact's text files saved: files, bytes as
-- built, as a brotli and as a gzip client receives them, and the time it took. NULL for
-- artifacts packaged before siblings existed (they are still served, uncompressed).
ALTER TABLE artifacts ADD COLUMN compression jsonb
  CHECK (compression IS NULL OR jsonb_typeof(compression) = 'object');
