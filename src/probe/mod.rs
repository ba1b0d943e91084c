//! Pollers that check services: HTTP, TCP, and the scheduler that runs them.
