import { readFileSync } from 'node:fs';
import type { BaseConfig } from '../config/config.schema';

/**
 * mTLS towards the Temporal frontend (docker-compose.yml requires client certificates): the CA
 * that signed the server's certificate, and this service's own certificate and key. Unset = plain.
 */
export function temporalTls(
  config: Pick<
    BaseConfig,
    'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE' | 'TEMPORAL_TLS_SERVER_NAME'
  >,
) {
  if (!config.TEMPORAL_TLS_CA_FILE) return undefined;
  return {
    serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_CA_FILE),
    ...(config.TEMPORAL_TLS_CERT_FILE && config.TEMPORAL_TLS_KEY_FILE
      ? {
          clientCertPair: {
            crt: readFileSync(config.TEMPORAL_TLS_CERT_FILE),
            key: readFileSync(config.TEMPORAL_TLS_KEY_FILE),
          },
        }
      : {}),
  };
}
