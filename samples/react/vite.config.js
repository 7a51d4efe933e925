import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// The app calls the sample API at the relative path /api/... and the dev server (and `vite preview`)
// forwards those calls, as seed 002 does with Create React App's "proxy" key. The API never sees a
// cross-origin request, so it needs no CORS entry for this app.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const apiUrl = env.VITE_API_URL || 'http://localhost:3001';
  const port = Number(env.VITE_PORT || 3000);
  const host = env.VITE_HOST || 'localhost';
  const proxy = { '/api': { target: apiUrl, changeOrigin: true } };
  return {
    plugins: [react()],
    server: { port, host, strictPort: true, proxy },
    preview: { port, host, strictPort: true, proxy },
  };
});
