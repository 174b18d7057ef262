/**
 * The URLs `npm run dev` hands every process, from the ports actually used (#21 §4): each service
 * gets every other service's URL (monitoring and the notifications call the registry; the console
 * proxies to all three), the registry the Temporal Web UI's (`TEMPORAL_UI_URL`, else
 * `TEMPORAL_UI_PORT`), and the printed login example the registry's real port.
 */
export interface DevPorts {
  registry: number;
  monitoring: number;
  notifications: number;
}

export function devPorts(env: NodeJS.ProcessEnv): DevPorts {
  const port = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new Error(`${name}=${v} 不是有效端口 (1–65535)`);
    return n;
  };
  return {
    registry: port('REGISTRY_PORT', 3000),
    monitoring: port('MONITORING_PORT', 3001),
    notifications: port('NOTIFICATIONS_PORT', 3002),
  };
}

export function temporalUiUrl(env: NodeJS.ProcessEnv): string {
  return env.TEMPORAL_UI_URL || `http://127.0.0.1:${env.TEMPORAL_UI_PORT || 8233}`;
}

/** What every service and the console are given: the others' URLs and the Temporal Web UI's. */
export function serviceUrls(
  env: NodeJS.ProcessEnv,
): Record<'REGISTRY_URL' | 'MONITORING_URL' | 'NOTIFICATIONS_URL' | 'TEMPORAL_UI_URL', string> {
  const p = devPorts(env);
  return {
    REGISTRY_URL: `http://127.0.0.1:${p.registry}`,
    MONITORING_URL: `http://127.0.0.1:${p.monitoring}`,
    NOTIFICATIONS_URL: `http://127.0.0.1:${p.notifications}`,
    TEMPORAL_UI_URL: temporalUiUrl(env),
  };
}

export function loginExample(env: NodeJS.ProcessEnv): string {
  return `curl -s -XPOST ${serviceUrls(env).REGISTRY_URL}/auth/token -H "content-type: application/json" -d '{"userId":"admin"}'`;
}
