-- Web sessions end on their own: a token may carry the moment it stops working.
-- API tokens made on the command line keep NULL (valid until revoked).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
