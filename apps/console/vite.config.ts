import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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

/**
 * Installable and usable without signal (#24): a web app manifest, and a service worker (Workbox,
 * generated at build) that precaches the app shell and every route's code, so the console opens
 * offline after one visit. `registerType: 'prompt'`: a new version waits until the user accepts it
 * (AppUpdate), it never reloads a page with a form open. API answers are not cached by the worker.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  includeAssets: ['icon.svg'],
  manifest: {
    name: '精准 · 扶贫对象动态管理',
    short_name: '精准',
    description: '村干部和帮扶责任人的回访、核查与待办',
    lang: 'zh-CN',
    start_url: '/inbox',
    scope: '/',
    display: 'standalone',
    theme_color: '#b7202e',
    background_color: '#ffffff',
    icons: [
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
    // Every route's chunk, the charts' included: a page opened offline must not need the network for its code.
    maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/api\//],
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [react(), pwa],
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
