-- Trigram matching backs the case-insensitive substring filter on product names (ILIKE '%…%').
CREATE EXTENSION IF NOT EXISTS pg_trgm;
