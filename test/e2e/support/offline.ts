/**
 * Environment that sends npm and anything honouring the proxy variables to a closed loopback
 * port: a script run with it shows it needs no network (no registry look-up, no download).
 */
const CLOSED = 'http://127.0.0.1:9';
export const OFFLINE_ENV = { npm_config_registry: `${CLOSED}/`, HTTP_PROXY: CLOSED, HTTPS_PROXY: CLOSED, http_proxy: CLOSED, https_proxy: CLOSED };
