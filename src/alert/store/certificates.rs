//! The certificate each service's server last presented, kept so that a restart while
//! the server cannot be reached (or refuses the handshake) still knows when it expires:
//! `certificate_expiring` neither resolves nor pages anew for want of a reading.

use std::sync::Arc;
use std::time::SystemTime;

use super::record::to_ms;
use super::{AlertStore, StoreError, sql};
use crate::kinds::Certificate;

impl AlertStore {
    /// Writes the certificates newly seen, by service name, in one transaction.
    pub async fn save_certificates(
        &self,
        seen: &[(String, Arc<Certificate>)],
        now: SystemTime,
    ) -> Result<(), StoreError> {
        const ACTION: &str = "saving certificates";
        if seen.is_empty() {
            return Ok(());
        }
        self.letting_go_on_failure(async {
            let mut tx = self.write_tx(ACTION).await?;
            for (service, certificate) in seen {
                let body = serde_json::to_string(&**certificate)
                    .map_err(|err| self.unstorable(err.to_string()))?;
                sqlx::query(sql::SAVE_CERTIFICATE)
                    .bind(service)
                    .bind(to_ms(now))
                    .bind(body)
                    .execute(&mut *tx)
                    .await
                    .map_err(|err| self.fail(ACTION, err))?;
            }
            self.commit(tx, ACTION).await
        })
        .await
    }

    /// Every certificate kept, by service name.
    pub async fn load_certificates(&self) -> Result<Vec<(String, Certificate)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(sql::CERTIFICATES)
            .fetch_all(&self.pool)
            .await
            .map_err(|err| self.fail("loading certificates", err))?;
        rows.into_iter()
            .map(|(service, body)| {
                serde_json::from_str(&body)
                    .map(|certificate| (service.clone(), certificate))
                    .map_err(|err| {
                        self.corrupt(format!(
                            "the certificate of {service:?} does not read: {err}"
                        ))
                    })
            })
            .collect()
    }
}
