import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

/**
 * One origin for the browser: /api/<service> is proxied to the service with the prefix removed,
 * in development (`vite`) and for the production build (`vite preview`; nginx in docker-compose.yml).
 * The services open no CORS.
 */
function proxyTo(target: string, prefix: string): ProxyOptions {
  return { target, changeOrigin: true, rewrite: (path) => path.slice(prefix.length) || '/' };
}

const proxy = {
  '/api/registry': proxyTo(process.env.REGISTRY_URL ?? 'http://127.0.0.1:3000', '/api/registry'),
  '/api/monitoring': proxyTo(process.env.MONITORING_URL ?? 'http://127.0.0.1:3001', '/api/monitoring'),
  '/api/notifications': proxyTo(process.env.NOTIFICATIONS_URL ?? 'http://127.0.0.1:3002', '/api/notifications'),
};

export default defineConfig({
  plugins: [react()],
  server: { port: Number(process.env.CONSOLE_PORT ?? 5173), strictPort: true, host: '127.0.0.1', proxy },
  preview: { port: Number(process.env.CONSOLE_PORT ?? 5173), strictPort: true, host: '127.0.0.1', proxy },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Heavy libraries in chunks of their own, loaded by the routes that need them.
        codeSplitting: { groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ }] },
      },
    },
  },
});
