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

    /// Forgets the certificates of services no longer in the config, in one transaction.
    pub async fn forget_certificates(&self, services: &[String]) -> Result<(), StoreError> {
        const ACTION: &str = "forgetting certificates";
        if services.is_empty() {
            return Ok(());
        }
        self.letting_go_on_failure(async {
            let mut tx = self.write_tx(ACTION).await?;
            for service in services {
                sqlx::query(sql::FORGET_CERTIFICATE)
                    .bind(service)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::store::tests::at;

    fn certificate(subject: &str) -> Arc<Certificate> {
        Arc::new(Certificate {
            not_before: at(0),
            not_after: at(86_400_000),
            subject: subject.to_string(),
            issuer: "CN=ca".to_string(),
            names: vec!["shop".to_string()],
            chain: vec!["CN=ca".to_string()],
        })
    }

    #[tokio::test]
    async fn certificates_are_kept_by_service_until_forgotten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = AlertStore::open(dir.path()).await.expect("open");
        let seen = [
            ("shop".to_string(), certificate("CN=shop")),
            ("mail".to_string(), certificate("CN=mail")),
        ];
        store.save_certificates(&seen, at(1)).await.expect("save");
        // A renewed one replaces the last.
        let renewed = [("shop".to_string(), certificate("CN=shop renewed"))];
        store
            .save_certificates(&renewed, at(2))
            .await
            .expect("save");
        store.close().await;
        let store = AlertStore::open(dir.path()).await.expect("reopen");
        let kept = store.load_certificates().await.expect("load");
        let subjects: Vec<(&str, &str)> = (kept.iter())
            .map(|(name, cert)| (name.as_str(), cert.subject.as_str()))
            .collect();
        assert_eq!(subjects, [("mail", "CN=mail"), ("shop", "CN=shop renewed")]);
        assert_eq!(kept[1].1, *renewed[0].1, "read back whole");

        store
            .forget_certificates(&["mail".to_string()])
            .await
            .expect("forget");
        let kept = store.load_certificates().await.expect("load");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].0, "shop");
    }
}
