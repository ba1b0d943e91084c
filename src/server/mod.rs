//! The local HTTP API: `/metrics`, `/api/v1/*` and `/healthz`.
